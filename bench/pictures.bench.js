'use strict';
/*
 * The pictures: the SVG of a 500-plugin graph must lay out and render in under a second (and stay readable:
 * no two boxes overlap), and a console left open for an hour (3,600 polls of /status.json, a graph every
 * minute) must not grow the server's memory.
 */
const http = require('node:http');
const { round } = require('./harness');
const { generatePlugins, registryWith } = require('./fixtures');
const { graphData } = require('../dist/pictures/graph-format');
const { layoutGraph } = require('../dist/pictures/graph-layout');
const { renderGraphSvg } = require('../dist/pictures/graph-svg');
const { ConsoleState } = require('../dist/operations/console-state');
const { createConsoleHandler } = require('../dist/operations/console-handler');
const { createHealthHandler } = require('../dist');

async function svgRows() {
  const { classes } = generatePlugins(500, { maxDeps: 3, window: 60, seed: 5 });
  const registry = registryWith(classes);
  const graph = graphData(
    Object.entries(registry.listAll()).flatMap(([type, names]) => names.map((name) => registry.describe(type, name))),
  );
  const coldStart = performance.now();
  await layoutGraph(graph);
  const coldMs = performance.now() - coldStart;
  const times = [];
  let layout;
  let svg;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    layout = await layoutGraph(graph);
    svg = renderGraphSvg(graph, layout);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const ms = times[2];
  let overlaps = 0;
  for (let i = 0; i < layout.nodes.length; i++) {
    for (let j = i + 1; j < layout.nodes.length; j++) {
      const a = layout.nodes[i];
      const b = layout.nodes[j];
      if (Math.abs(a.x - b.x) < (a.width + b.width) / 2 - 0.5 && Math.abs(a.y - b.y) < (a.height + b.height) / 2 - 0.5)
        overlaps++;
    }
  }
  return [
    {
      name: `floe graph --format svg, 500 plugins and ${graph.edges.length} dependencies: layout and render`,
      subjectMs: round(ms),
      baselineMs: 1000,
      ratio: round(ms / 1000),
      overlappingBoxes: overlaps,
      svgKiB: round(Buffer.byteLength(svg) / 1024, 1),
      goal: '<= 1 s, no overlapping boxes',
      pass: ms <= 1000 && overlaps === 0,
    },
    {
      name: 'for reference: the first picture of a process, Graphviz loaded and compiled included',
      subjectMs: round(coldMs),
    },
  ];
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
        response.resume();
        response.on('end', resolve);
      })
      .on('error', reject);
  });
}

async function heapAfterGc() {
  for (let i = 0; i < 3; i++) {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** Heap growth of a server over an hour of one console's polls, after `warmup` polls (code warming up). */
async function hourOfPolls(listener, warmup = 1200) {
  const server = http.createServer(listener);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  // One poll a second, and the graph once a minute (a console fetches it again when it changes).
  const poll = async (i) => {
    await get(port, '/status.json');
    if (i % 60 === 0) await get(port, '/graph.svg');
  };
  for (let i = 0; i < warmup; i++) await poll(i);
  const settled = await heapAfterGc();
  const start = performance.now();
  for (let i = 0; i < 3600; i++) await poll(i);
  const pollMs = (performance.now() - start) / 3600;
  const after = await heapAfterGc();
  await new Promise((resolve) => server.close(resolve));
  return { growth: after - settled, pollMs };
}

async function consoleRows() {
  const { classes } = generatePlugins(200, { maxDeps: 2, window: 25, seed: 3 });
  const registry = registryWith(classes);
  await registry.startAll();
  const state = new ConsoleState(registry);
  const served = await hourOfPolls(createConsoleHandler(state, createHealthHandler(registry)));
  await state.settled();
  // The same hour against a server that answers `{}`: what Node's HTTP alone leaves, for reference.
  const bare = await hourOfPolls((request, response) => response.end('{}'));
  await registry.shutdownAll();
  const mib = 1024 * 1024;
  return [
    {
      name: 'console open for an hour (3,600 polls of /status.json, 60 of /graph.svg, 200 plugins): heap growth',
      subjectKiB: round(served.growth / 1024, 1),
      bareServerKiB: round(bare.growth / 1024, 1),
      baselineKiB: 1024,
      ratio: round(served.growth / mib),
      pollMs: round(served.pollMs),
      goal: '<= 1 MiB in the hour (a leak of 300 B a poll would be over)',
      pass: served.growth <= mib,
    },
  ];
}

module.exports = async function picturesBench() {
  return [...(await svgRows()), ...(await consoleRows())];
};
