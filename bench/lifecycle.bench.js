'use strict';
/*
 * startAll on a 200-plugin DAG with 20 ms startup hooks, against its critical path and against starting
 * the plugins one by one; healthCheckAll with 10 of 100 checks hung, against the health timeout.
 */
const { PluginRegistry, PluginMetadata, FloePlugin, PluginType, createSilentLogger } = require('../dist');
const { round } = require('./harness');
const { generatePlugins, handWrittenPlatform, longestChain, registryWith, sleep } = require('./fixtures');

const HOOK_MS = 20;

async function timed(fn) {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** The floor: each plugin started as soon as its dependencies are up, all concurrently. Nothing else. */
function handStart(classes) {
  return handWrittenPlatform(classes).startAll();
}

async function startupRows() {
  // The hooks read their duration here, so the warm-up can run the same code with instant hooks.
  const duration = { ms: 0 };
  const hooks = { startup: () => sleep(duration.ms) };
  const warm = generatePlugins(200, { maxDeps: 2, window: 25, seed: 11, hooks }).classes;
  for (let i = 0; i < 10; i++) {
    const registry = registryWith(warm);
    await registry.startAll();
    await registry.shutdownAll();
    await handStart(warm);
  }
  duration.ms = HOOK_MS;
  const runs = [];
  const handRuns = [];
  let chain = 0;
  for (let i = 0; i < 5; i++) {
    const { classes } = generatePlugins(200, { maxDeps: 2, window: 25, seed: 11, hooks });
    chain = longestChain(classes);
    const registry = registryWith(classes);
    const { ms, value } = await timed(() => registry.startAll());
    if (!value.ok || value.started.length !== 200) throw new Error('the benchmark platform did not start');
    runs.push({ ms, reportedPath: value.criticalPath.length });
    await registry.shutdownAll();
    handRuns.push((await timed(() => handStart(classes))).ms);
  }
  runs.sort((a, b) => a.ms - b.ms);
  handRuns.sort((a, b) => a - b);
  const startAllMs = runs[Math.floor(runs.length / 2)].ms;
  const handMs = handRuns[Math.floor(handRuns.length / 2)];
  const criticalMs = chain * HOOK_MS;

  const { classes } = generatePlugins(200, { maxDeps: 2, window: 25, seed: 11, hooks });
  const registry = registryWith(classes);
  const order = await registry.resolveDependencies();
  const { ms: oneByOneMs } = await timed(async () => {
    for (const info of order) await registry.get(info.type, info.name);
  });
  await registry.shutdownAll();
  return [
    {
      name: `startAll, 200 plugins, ${HOOK_MS} ms hooks, critical path of ${chain}`,
      subjectMs: round(startAllMs),
      baselineMs: round(criticalMs),
      ratio: round(startAllMs / criticalMs, 3),
      goal: '<= 1.05x critical path',
      pass: startAllMs / criticalMs <= 1.05,
    },
    {
      name: 'for reference: a hand-written concurrent starter, against the same critical path (timer lateness)',
      subjectMs: round(handMs),
      baselineMs: round(criticalMs),
      ratio: round(handMs / criticalMs, 3),
      goal: 'the floor of the row above',
    },
    {
      name: 'startAll against starting the same plugins one by one',
      subjectMs: round(startAllMs),
      baselineMs: round(oneByOneMs),
      ratio: round(startAllMs / oneByOneMs, 3),
      goal: 'far below 1',
      pass: startAllMs < oneByOneMs / 5,
    },
  ];
}

async function healthRows() {
  const healthMs = 200;
  const registry = new PluginRegistry({ rootDir: __dirname, logger: createSilentLogger(), timeouts: { healthMs } });
  for (let i = 0; i < 100; i++) {
    const cls = class extends PluginMetadata {
      healthCheck() {
        return i % 10 === 0 ? new Promise(() => undefined) : { state: 'healthy', message: '', details: {} };
      }
    };
    FloePlugin({ type: PluginType.Compute, name: `h${i}`, version: '1.0.0', apiVersion: '1.0' })(cls);
    registry.register(cls);
  }
  await registry.startAll();
  const times = [];
  for (let i = 0; i < 5; i++) {
    const { ms, value } = await timed(() => registry.healthCheckAll());
    const hung = Object.values(value).filter((s) => s.state === 'unhealthy').length;
    if (hung !== 10) throw new Error(`expected 10 unhealthy, got ${hung}`);
    times.push(ms);
  }
  await registry.shutdownAll();
  times.sort((a, b) => a - b);
  const ms = times[2];
  return [
    {
      name: `healthCheckAll, 100 plugins, 10 hung, ${healthMs} ms timeout`,
      subjectMs: round(ms),
      baselineMs: healthMs,
      ratio: round(ms / healthMs),
      overMs: round(ms - healthMs),
      goal: '<= timeout + 100 ms',
      pass: ms <= healthMs + 100,
    },
  ];
}

module.exports = async function lifecycleBench() {
  return [...(await startupRows()), ...(await healthRows())];
};
