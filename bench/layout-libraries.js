'use strict';
/*
 * Compares the layout libraries considered for `floe graph --format svg`: elkjs, @dagrejs/dagre and
 * @viz-js/viz (Graphviz as WebAssembly), on dependency graphs shaped like a platform's (plugins of eleven
 * types, each depending on up to three plugins of the types before it), for 10, 50, 200 and 500 plugins.
 *
 *   node bench/layout-libraries.js            # installs the three into a temporary folder first
 *   node bench/layout-libraries.js --keep DIR # reuse DIR (npm install there once)
 *
 * For each: install size, cold load time (require in a fresh process), layout time (median of 5), and the
 * picture's quality: edge crossings (edges drawn as the polylines of their points), the drawing's area per
 * plugin and its aspect ratio, and the mean edge length. Not part of `npm run bench`: it needs the network
 * (or npm's cache) to install the candidates, which floe-core does not depend on.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const VERSIONS = { elkjs: '0.12.1', '@dagrejs/dagre': '3.1.3', '@viz-js/viz': '3.31.0' };
const SIZES = [10, 50, 200, 500];
const NODE_W = 220;
const NODE_H = 36;

/** A seeded graph: `n` plugins in eleven layers of types; each depends on 0-3 plugins of earlier types. */
function platformGraph(n, seed = 7) {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const types = 11;
  const nodes = [];
  const edges = [];
  for (let i = 0; i < n; i++) {
    const type = Math.floor((i * types) / n);
    const id = `floe.t${type}:plugin-${i}`;
    nodes.push({ id, type });
    const earlier = nodes.filter((node) => node.type < type);
    const count = earlier.length === 0 ? 0 : Math.floor(random() * 4);
    const chosen = new Set();
    for (let k = 0; k < count; k++) chosen.add(earlier[Math.floor(random() * earlier.length)].id);
    for (const target of chosen) edges.push({ from: id, to: target });
  }
  return { nodes, edges };
}

function crossings(polylines) {
  const segments = [];
  polylines.forEach((points, edge) => {
    for (let i = 1; i < points.length; i++) segments.push({ edge, a: points[i - 1], b: points[i] });
  });
  const orient = (p, q, r) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  let count = 0;
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      const s = segments[i];
      const t = segments[j];
      if (s.edge === t.edge) continue;
      const o1 = orient(s.a, s.b, t.a);
      const o2 = orient(s.a, s.b, t.b);
      const o3 = orient(t.a, t.b, s.a);
      const o4 = orient(t.a, t.b, s.b);
      if (o1 * o2 < 0 && o3 * o4 < 0) count++;
    }
  }
  return count;
}

function quality(layout, n) {
  const { width, height, polylines } = layout;
  const lengths = polylines.map((points) =>
    points.slice(1).reduce((sum, p, i) => sum + Math.hypot(p.x - points[i].x, p.y - points[i].y), 0),
  );
  return {
    crossings: crossings(polylines),
    areaPerPlugin: Math.round((width * height) / n),
    aspect: Math.round((Math.max(width, height) / Math.min(width, height)) * 10) / 10,
    meanEdge: Math.round(lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length)),
  };
}

const layouts = {
  '@dagrejs/dagre': (dir) => {
    const dagre = require(path.join(dir, 'node_modules', '@dagrejs/dagre'));
    return async ({ nodes, edges }) => {
      const g = new dagre.graphlib.Graph();
      g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 60 });
      g.setDefaultEdgeLabel(() => ({}));
      for (const node of nodes) g.setNode(node.id, { width: NODE_W, height: NODE_H });
      for (const edge of edges) g.setEdge(edge.from, edge.to);
      dagre.layout(g);
      const polylines = g.edges().map((e) => g.edge(e).points);
      return { width: g.graph().width, height: g.graph().height, polylines };
    };
  },
  elkjs: (dir) => {
    const ELK = require(path.join(dir, 'node_modules', 'elkjs', 'lib', 'elk.bundled.js'));
    const elk = new ELK();
    return async ({ nodes, edges }) => {
      const graph = await elk.layout({
        id: 'root',
        layoutOptions: {
          'elk.algorithm': 'layered',
          'elk.direction': 'RIGHT',
          'elk.spacing.nodeNode': '16',
          'elk.layered.spacing.nodeNodeBetweenLayers': '60',
        },
        children: nodes.map((node) => ({ id: node.id, width: NODE_W, height: NODE_H })),
        edges: edges.map((edge, i) => ({ id: `e${i}`, sources: [edge.from], targets: [edge.to] })),
      });
      const polylines = graph.edges.map((edge) =>
        edge.sections.flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]),
      );
      return { width: graph.width, height: graph.height, polylines };
    };
  },
  '@viz-js/viz': (dir) => {
    const vizModule = require(path.join(dir, 'node_modules', '@viz-js/viz'));
    let viz;
    return async ({ nodes, edges }) => {
      viz ??= await vizModule.instance();
      const dot = [
        'digraph { rankdir=LR; nodesep=0.22; ranksep=0.8;',
        `node [shape=box fixedsize=true width=${NODE_W / 72} height=${NODE_H / 72}];`,
        ...nodes.map((node) => `"${node.id}";`),
        ...edges.map((edge) => `"${edge.from}" -> "${edge.to}";`),
        '}',
      ].join('\n');
      const json = viz.renderJSON(dot);
      const [, , width, height] = json.bb.split(',').map(Number);
      // An edge's pos is "e,<arrow tip> <cubic Bézier control points>": sample the curves, then the tip.
      const polylines = (json.edges ?? []).map((edge) => {
        const parts = edge.pos.split(' ');
        const point = (pair) => {
          const [x, y] = pair
            .replace(/^[es],/, '')
            .split(',')
            .map(Number);
          return { x, y };
        };
        const tip = parts[0].startsWith('e,') ? point(parts.shift()) : undefined;
        const controls = parts.map(point);
        const sampled = [controls[0]];
        for (let i = 0; i + 3 < controls.length; i += 3) {
          const [p0, p1, p2, p3] = controls.slice(i, i + 4);
          for (let k = 1; k <= 8; k++) {
            const t = k / 8;
            const u = 1 - t;
            sampled.push({
              x: u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
              y: u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y,
            });
          }
        }
        return tip === undefined ? sampled : [...sampled, tip];
      });
      return { width, height, polylines };
    };
  },
};

function coldLoadMs(dir, name) {
  const entry = name === 'elkjs' ? path.join('elkjs', 'lib', 'elk.bundled.js') : name;
  const script =
    `const t=process.hrtime.bigint();const m=require(${JSON.stringify(path.join(dir, 'node_modules', entry))});` +
    `(async()=>{ if(m.instance) await m.instance(); else if (typeof m==='function') new m();` +
    `process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6)); })();`;
  const runs = [0, 1, 2].map(() => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  return runs.sort((a, b) => a - b)[1];
}

function installSize(dir, name) {
  const du = (folder) => Number(execFileSync('du', ['-sk', folder], { encoding: 'utf8' }).split('\t')[0]);
  if (name === '@dagrejs/dagre') {
    return du(path.join(dir, 'node_modules', '@dagrejs'));
  }
  return du(path.join(dir, 'node_modules', name));
}

async function main() {
  const keep = process.argv.indexOf('--keep');
  const dir = keep > 0 ? path.resolve(process.argv[keep + 1]) : fs.mkdtempSync(path.join(os.tmpdir(), 'layouts-'));
  if (!fs.existsSync(path.join(dir, 'node_modules', 'elkjs'))) {
    fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
    const specs = Object.entries(VERSIONS).map(([name, version]) => `${name}@${version}`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], { cwd: dir });
  }
  const rows = [];
  for (const [name, make] of Object.entries(layouts)) {
    const layout = make(dir);
    const row = {
      library: `${name}@${VERSIONS[name]}`,
      installKiB: installSize(dir, name),
      coldLoadMs: coldLoadMs(dir, name),
    };
    for (const n of SIZES) {
      const graph = platformGraph(n);
      await layout(graph);
      const times = [];
      let result;
      for (let i = 0; i < 5; i++) {
        const start = process.hrtime.bigint();
        result = await layout(graph);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      times.sort((a, b) => a - b);
      row[n] = { layoutMs: Math.round(times[2] * 10) / 10, edges: graph.edges.length, ...quality(result, n) };
    }
    rows.push(row);
  }
  console.log(JSON.stringify(rows, null, 2));
  if (keep < 0) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
