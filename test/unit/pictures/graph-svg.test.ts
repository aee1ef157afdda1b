import type { GraphData } from '../../../src/pictures/graph-format';
import { layoutGraph } from '../../../src/pictures/graph-layout';
import { escapeXml, graphSvg, renderGraphSvg } from '../../../src/pictures/graph-svg';

const HOSTILE = `floe.x:<img src=x onerror="alert(1)">&'`;

function chain(size: number): GraphData {
  const nodes = Array.from({ length: size }, (_, i) => ({ key: `floe.computes:p${i}`, state: 'active' }));
  const edges = nodes
    .slice(1)
    .flatMap((node, i) => [
      { from: node.key, to: nodes[i].key },
      ...(i % 3 === 0 ? [{ from: node.key, to: nodes[Math.floor(i / 2)].key }] : []),
    ]);
  return { nodes, edges, cycles: [] };
}

describe('the dependency graph as SVG', () => {
  it('escapes every text and attribute taken from the graph', async () => {
    const graph: GraphData = {
      nodes: [
        { key: HOSTILE, state: 'act"ive<b>' },
        { key: 'missing:<script>x</script>', name: '<script>x</script>', missing: true },
      ],
      edges: [{ from: HOSTILE, to: 'missing:<script>x</script>', missing: true }],
      cycles: [],
    };
    const svg = await graphSvg(graph, { title: 'a <title> & more' });
    expect(svg).not.toMatch(/<img|<script|<b>|onerror="/);
    expect(svg).toContain(escapeXml(HOSTILE));
    expect(svg).toContain('data-state="act&#34;ive&#60;b&#62;"');
    expect(svg).toContain('class="node state-act-ive-b-"');
    expect(svg).toContain('<title id="floe-graph-title">a &#60;title&#62; &#38; more</title>');
    // Only the tags the renderer writes.
    const tags = new Set([...svg.matchAll(/<([a-z]+)[\s>/]/g)].map((match) => match[1]));
    expect([...tags].sort()).toEqual(['defs', 'desc', 'g', 'marker', 'path', 'rect', 'style', 'svg', 'text', 'title']);
  });

  it('colours nodes by state, and its legend names exactly the states and kinds of edge it draws', async () => {
    const graph: GraphData = {
      nodes: [
        { key: 'floe.computes:a', state: 'active' },
        { key: 'floe.secrets:b', state: 'failed' },
        { key: 'floe.storage:c', state: 'active' },
      ],
      edges: [
        { from: 'floe.computes:a', to: 'floe.secrets:b', cycle: true },
        { from: 'floe.secrets:b', to: 'floe.computes:a', cycle: true },
      ],
      cycles: [['floe.computes:a', 'floe.secrets:b', 'floe.computes:a']],
    };
    const svg = await graphSvg(graph);
    expect(svg.match(/class="node state-active"/g)).toHaveLength(2);
    expect(svg.match(/class="node state-failed"/g)).toHaveLength(1);
    const legend = svg.slice(svg.indexOf('<g class="legend"'));
    expect([...legend.matchAll(/font-size="11">([^<]+)</g)].map((match) => match[1])).toEqual([
      'active',
      'failed',
      'depends on',
      'on a cycle',
    ]);
    expect(svg.match(/<path class="edge cycle" data-from/g)).toHaveLength(2);
    expect(svg.match(/>cycle<\/text>/g)).toHaveLength(2);
    expect(svg).toContain('<desc id="floe-graph-desc">3 plugins, 2 dependencies, 2 edges on a cycle;');
  });

  it('places every node without overlap, left of what it depends on, and routes every edge', async () => {
    const graph = chain(50);
    const layout = await layoutGraph(graph);
    expect(layout.nodes).toHaveLength(50);
    expect(layout.edges).toHaveLength(graph.edges.length);
    const at = new Map(layout.nodes.map((node) => [node.key, node]));
    for (const edge of graph.edges) {
      const from = at.get(edge.from)!;
      const to = at.get(edge.to)!;
      expect(from.x).toBeLessThan(to.x);
    }
    for (const [i, a] of layout.nodes.entries()) {
      for (const b of layout.nodes.slice(i + 1)) {
        const apart =
          Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        expect(apart).toBe(true);
      }
      expect(a.x - a.width / 2).toBeGreaterThanOrEqual(-0.01);
      expect(a.x + a.width / 2).toBeLessThanOrEqual(layout.width + 0.01);
    }
    for (const route of layout.edges) {
      expect((route.curve.length - 1) % 3).toBe(0);
      expect(route.tip).toBeDefined();
    }
  });

  it('sizes the picture to hold the layout and its legend', async () => {
    const graph = chain(3);
    const layout = await layoutGraph(graph);
    const svg = renderGraphSvg(graph, layout, { idPrefix: 'p2' });
    const [, width, height] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
    expect(width).toBeGreaterThanOrEqual(layout.width + 32);
    expect(height).toBeGreaterThanOrEqual(layout.height + 32 + 22);
    expect(svg).toContain('marker-end="url(#p2-arrow)"');
    expect(svg).not.toContain('floe-graph-arrow');
  });
});
