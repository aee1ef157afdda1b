'use strict';
/*
 * floe-core against its peers, measured side by side in one run on the same graph and hooks: 200
 * components in a 10-layer DAG (each depends on up to two of the layer before), started and stopped by
 * floe-core, by raw Inversify (singleton bindings whose activation runs startup and deactivation runs
 * shutdown, dependencies injected through constructors) and by avvio (Fastify's loader: plugins in
 * dependency order, startup in the plugin, shutdown in onClose). Each figure is printed as floe-core /
 * peer. Beside them, two references: raw Inversify handing every hook its own AbortSignal (what floe-core's
 * container and signal guarantees cost with nothing else), and a hand-written concurrent starter (each
 * component started once its dependencies are up, stopped once its dependents are down; nothing else),
 * the floor of the wall-clock rows. Run alone: npm run build && node bench/run.js peers
 * Where floe-core's time and memory go: node bench/profile.js
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { round } = require('./harness');

const LAYERS = 10;
const WIDTH = 20;

/** The graph: component i of layer l depends on up to two components of layer l - 1 (seeded). */
function graph(layers = LAYERS, width = WIDTH, seed = 5) {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const nodes = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      const deps = new Set();
      if (l > 0) for (let d = 0; d < 2; d++) deps.add((l - 1) * width + Math.floor(random() * width));
      nodes.push({ id: l * width + i, deps: [...deps] });
    }
  }
  return nodes;
}

/** The three subjects, each with the same no-op hooks: `start()` then `stop()` of the whole graph. */
const SUBJECTS = `
const { Container, inject, injectable } = require('inversify');
const avvio = require('avvio');
// Loaded only when used: loading floe-core wraps Inversify's Container#get (see lookupRows).
let floeModule;
const floeCore = () => (floeModule ??= require(${JSON.stringify(path.join(__dirname, '..', 'dist'))}));
const TYPES = ['floe.computes', 'floe.catalogs', 'floe.storage', 'floe.secrets', 'floe.identity'];
// Every subject's hooks: instant, or (for the wall-clock rows) a timer of duration.ms.
const duration = { ms: 0 };
const hook = () => (duration.ms === 0 ? undefined : new Promise((resolve) => setTimeout(resolve, duration.ms)));

function floeSubject(nodes) {
  const floe = floeCore();
  const classes = nodes.map((node) => {
    const cls = class extends floe.PluginMetadata { async startup() { await hook(); } async shutdown() { await hook(); } };
    floe.FloePlugin({ type: TYPES[node.id % TYPES.length], name: 'c' + node.id, version: '1.0.0', apiVersion: '1.0',
      dependsOn: node.deps.map((d) => TYPES[d % TYPES.length] + ':c' + d) })(cls);
    return cls;
  });
  let registry;
  return {
    async start() {
      registry = new floe.PluginRegistry({ rootDir: __dirname, logger: floe.createSilentLogger() });
      for (const cls of classes) registry.register(cls);
      const report = await registry.startAll();
      if (!report.ok) throw new Error('floe-core did not start');
    },
    async stop() { await registry.shutdownAll(); },
    get: () => { const c = registry.container; const t = TYPES[7 % TYPES.length]; return () => c.get(t, { name: 'c7' }); },
  };
}

function inversifySubject(nodes, signals = false) {
  const ids = nodes.map((node) => Symbol('c' + node.id));
  const classes = nodes.map((node) => {
    const cls = class { constructor() {} async startup() { await hook(); } async shutdown() { await hook(); } };
    injectable()(cls);
    node.deps.forEach((dep, index) => inject(ids[dep])(cls, undefined, index));
    return cls;
  });
  let container;
  return {
    async start() {
      container = new Container();
      classes.forEach((cls, i) => {
        const binding = container.bind(ids[i]).to(cls).inSingletonScope();
        if (signals) {
          binding.onActivation(async (_context, instance) => { await instance.startup(new AbortController().signal); return instance; });
          binding.onDeactivation((instance) => instance.shutdown(new AbortController().signal));
        } else {
          binding.onActivation(async (_context, instance) => { await instance.startup(); return instance; });
          binding.onDeactivation((instance) => instance.shutdown());
        }
      });
      await Promise.all(ids.map((id) => container.getAsync(id)));
    },
    async stop() { await container.unbindAllAsync(); },
    get: () => { const c = container; const id = ids[7]; return () => c.get(id); },
  };
}

function avvioSubject(nodes) {
  let app;
  return {
    async start() {
      app = avvio({}, { autostart: false });
      for (const node of nodes) {
        app.use(async (instance) => {
          await hook();
          instance.onClose(async () => { await hook(); });
        });
      }
      await app.ready();
    },
    async stop() { await new Promise((resolve, reject) => app.close((error) => (error ? reject(error) : resolve()))); },
  };
}

// Each component started as soon as its dependencies are up and stopped as soon as its dependents are down
// (node ids are in dependency order), all concurrently; nothing else.
function handSubject(nodes) {
  const dependents = nodes.map(() => []);
  for (const node of nodes) for (const dep of node.deps) dependents[dep].push(node.id);
  const classes = nodes.map(() => class { async startup() { await hook(); } async shutdown() { await hook(); } });
  let instances;
  return {
    async start() {
      instances = new Array(nodes.length);
      const up = new Array(nodes.length);
      for (const node of nodes) {
        up[node.id] = Promise.all(node.deps.map((dep) => up[dep])).then(async () => {
          const instance = new classes[node.id]();
          await instance.startup();
          instances[node.id] = instance;
        });
      }
      await Promise.all(up);
    },
    async stop() {
      const down = new Array(nodes.length);
      for (let id = nodes.length - 1; id >= 0; id--) {
        down[id] = Promise.all(dependents[id].map((dependent) => down[dependent])).then(() => instances[id].shutdown());
      }
      await Promise.all(down);
    },
  };
}

const SUBJECT = {
  'floe-core': floeSubject,
  inversify: inversifySubject,
  avvio: avvioSubject,
  'inversify+signals': (nodes) => inversifySubject(nodes, true),
  'hand-written': handSubject,
};
`;

/** Runs a script in a fresh Node process (with the subjects defined) and returns what it printed, parsed. */
function inFreshProcess(body) {
  const script = `${SUBJECTS}\nconst nodes = ${JSON.stringify(graph())};\n(async () => { ${body} })().catch((e) => { console.error(e); process.exit(1); });`;
  return JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', cwd: __dirname }),
  );
}

const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cpuRows() {
  // Warm: each subject started and stopped 40 times, then the CPU of 20 more, alternating, per component.
  const result = inFreshProcess(`
    const subjects = Object.fromEntries(['floe-core', 'inversify', 'avvio', 'inversify+signals'].map((name) => [name, SUBJECT[name](nodes)]));
    const cpu = async (subject) => { const before = process.cpuUsage(); await subject.start(); await subject.stop();
      const used = process.cpuUsage(before); return (used.user + used.system) / nodes.length; };
    for (let i = 0; i < 40; i++) for (const subject of Object.values(subjects)) await cpu(subject);
    const runs = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
    for (let i = 0; i < 21; i++) for (const [name, subject] of Object.entries(subjects)) runs[name].push(await cpu(subject));
    const mid = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(runs).map(([name, xs]) => [name, mid(xs)]))));
  `);
  return [
    {
      name: 'warm CPU per component, start + stop, 200 in a 10-layer DAG: floe-core / avvio',
      subjectUs: round(result['floe-core']),
      baselineUs: round(result.avvio),
      inversifyUs: round(result.inversify),
      ratio: round(result['floe-core'] / result.avvio),
      goal: '<= 1 (and floe-core / raw Inversify printed beside it)',
      pass: result['floe-core'] <= result.avvio,
      ratioToInversify: round(result['floe-core'] / result.inversify),
    },
    {
      name: 'for reference: raw Inversify that gives each hook its own AbortSignal, the same CPU: floe-core / it',
      subjectUs: round(result['floe-core']),
      baselineUs: round(result['inversify+signals']),
      ratio: round(result['floe-core'] / result['inversify+signals']),
      avvioToIt: round(result.avvio / result['inversify+signals']),
      goal: 'what the container and per-hook signals cost with nothing else',
    },
  ];
}

function firstRunRows() {
  // The first start + stop of a fresh process (modules already loaded), per component; median of 5 processes.
  const runs = { 'floe-core': [], inversify: [], avvio: [] };
  for (let i = 0; i < 5; i++) {
    for (const name of Object.keys(runs)) {
      const us = inFreshProcess(`
        const subject = SUBJECT[${JSON.stringify(name)}](nodes);
        const start = process.hrtime.bigint();
        await subject.start(); await subject.stop();
        process.stdout.write(JSON.stringify(Number(process.hrtime.bigint() - start) / 1e3 / nodes.length));
      `);
      runs[name].push(us);
    }
  }
  const floe = mid(runs['floe-core']);
  const inversify = mid(runs.inversify);
  return [
    {
      name: 'first run in a fresh process, per component (start + stop, modules loaded): floe-core / raw Inversify',
      subjectUs: round(floe),
      baselineUs: round(inversify),
      avvioUs: round(mid(runs.avvio)),
      ratio: round(floe / inversify),
      goal: '<= 1',
      pass: floe <= inversify,
    },
  ];
}

function heapRows() {
  const count = 10_000;
  const result = inFreshProcess(`
    const big = Array.from({ length: ${count} }, (_, id) => ({ id, deps: id >= 100 ? [id - 100] : [] }));
    const heap = async () => { for (let i = 0; i < 3; i++) { global.gc(); await new Promise((r) => setImmediate(r)); } return process.memoryUsage().heapUsed; };
    const out = {};
    for (const name of ['floe-core', 'inversify', 'avvio']) {
      // Warmed up on a small graph first: modules loaded and one-time structures made are not per component.
      const warm = SUBJECT[name](nodes.slice(0, 40));
      await warm.start();
      await warm.stop();
      const subject = SUBJECT[name](big);
      const before = await heap();
      await subject.start();
      const after = await heap();
      out[name] = (after - before) / big.length;
      await subject.stop();
    }
    process.stdout.write(JSON.stringify(out));
  `);
  return [
    {
      name: `heap per live component, ${count} started (classes made beforehand, warmed up): floe-core / avvio`,
      subjectBytes: Math.round(result['floe-core']),
      baselineBytes: Math.round(result.avvio),
      inversifyBytes: Math.round(result.inversify),
      ratio: round(result['floe-core'] / result.avvio),
      goal: '<= 1',
      pass: result['floe-core'] <= result.avvio,
    },
  ];
}

function lookupRows() {
  // Each subject in a process of its own: floe-core's tracking of synchronous resolutions is installed on
  // Inversify's Container class, and would slow the raw Inversify baseline down too.
  const lookup = (name) =>
    inFreshProcess(`
      const subject = SUBJECT[${JSON.stringify(name)}](nodes);
      await subject.start();
      const get = subject.get();
      let sink;
      for (let i = 0; i < 200000; i++) sink = get();
      const times = [];
      for (let r = 0; r < 7; r++) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < 1000000; i++) sink = get();
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      if (sink === undefined) throw new Error('nothing resolved');
      times.sort((a, b) => a - b);
      await subject.stop();
      process.stdout.write(JSON.stringify(times[3]));
    `);
  const floe = mid([lookup('floe-core'), lookup('floe-core'), lookup('floe-core')]);
  const inversify = mid([lookup('inversify'), lookup('inversify'), lookup('inversify')]);
  return [
    {
      name: 'synchronous container.get of a live plugin by type and name: floe-core / raw Inversify (by id)',
      subjectNs: round(floe),
      baselineNs: round(inversify),
      ratio: round(floe / inversify),
      goal: '<= 1',
      pass: floe <= inversify,
    },
  ];
}

function wallRows() {
  // 20 ms hooks: start and stop wall time against the hand-written starter, alternating, median of 5.
  const hookMs = 20;
  const result = inFreshProcess(`
    const floe = SUBJECT['floe-core'](nodes);
    const hand = SUBJECT['hand-written'](nodes);
    for (let i = 0; i < 60; i++) for (const subject of [floe, hand]) { await subject.start(); await subject.stop(); }
    duration.ms = ${hookMs};
    const wall = async (fn) => { const start = process.hrtime.bigint(); await fn(); return Number(process.hrtime.bigint() - start) / 1e6; };
    const runs = { floeStart: [], floeStop: [], handStart: [], handStop: [] };
    for (let i = 0; i < 5; i++) {
      runs.floeStart.push(await wall(() => floe.start()));
      runs.floeStop.push(await wall(() => floe.stop()));
      runs.handStart.push(await wall(() => hand.start()));
      runs.handStop.push(await wall(() => hand.stop()));
    }
    const mid = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(runs).map(([name, xs]) => [name, mid(xs)]))));
  `);
  const critical = LAYERS * hookMs;
  const row = (what, floe, hand, limit) => ({
    name: `${what} wall, ${hookMs} ms hooks (critical path ${critical} ms): floe-core / hand-written ${what === 'start' ? 'starter' : 'stopper'}`,
    subjectMs: round(floe),
    baselineMs: round(hand),
    ratio: round(floe / hand),
    toCriticalPath: round(floe / critical),
    handToCriticalPath: round(hand / critical),
    goal: `<= ${limit}`,
    pass: floe <= limit * hand,
  });
  return [row('start', result.floeStart, result.handStart, 1.02), row('stop', result.floeStop, result.handStop, 1.05)];
}

module.exports = async function peersBench() {
  return [...cpuRows(), ...firstRunRows(), ...heapRows(), ...lookupRows(), ...wallRows()];
};

module.exports.graph = graph;
