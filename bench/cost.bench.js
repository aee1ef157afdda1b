'use strict';
/*
 * What floe-core costs per plugin, against floors written here in a few lines: CPU of a full start and stop
 * against a hand-written concurrent starter, shutdownAll against its critical path, heap per live plugin
 * against raw Inversify, and cold starts of the floe command and of require('floe-core') in fresh processes.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Container } = require('inversify');
const { round } = require('./harness');
const { generatePlugins, handWrittenPlatform, longestChain, registryWith, sleep } = require('./fixtures');
const { generateTree, bareScan, settleDisk } = require('./trees');

/** The floor: start each plugin when its dependencies are up, all concurrently; stop in reverse. Nothing else. */
async function handWritten(classes) {
  const platform = handWrittenPlatform(classes);
  await platform.startAll();
  await platform.stopAll();
}

function cpuMs(before) {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function medianOf(runs, measure) {
  const values = [];
  for (let i = 0; i < runs; i++) values.push(await measure());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

async function cpuRows() {
  // The hooks read their durations here, so the warm-up can run the same code with instant hooks.
  const durations = { startup: 0, shutdown: 0 };
  const hooks = { startup: () => sleep(durations.startup), shutdown: () => sleep(durations.shutdown) };
  const { classes } = generatePlugins(200, { maxDeps: 2, window: 25, seed: 11, hooks });
  const floe = async () => {
    const registry = registryWith(classes);
    const before = process.cpuUsage();
    await registry.startAll();
    await registry.shutdownAll();
    return cpuMs(before);
  };
  const hand = async () => {
    const before = process.cpuUsage();
    await handWritten(classes);
    return cpuMs(before);
  };
  // Steady state: V8 keeps optimizing floe-core's code for about twenty runs of this platform, which would
  // otherwise be measured as the cost of a start (the hand-written starter is a few lines, optimized at once).
  for (let i = 0; i < 30; i++) {
    await floe();
    await hand();
  }
  durations.startup = 20;
  durations.shutdown = 5;
  const floeMs = await medianOf(9, floe);
  const handMs = await medianOf(9, hand);
  return [
    {
      name: 'CPU of startAll + shutdownAll, 200 plugins, against a hand-written concurrent starter',
      subjectMs: round(floeMs),
      baselineMs: round(handMs),
      ratio: round(floeMs / handMs),
      goal: '<= 5x',
      pass: floeMs / handMs <= 5,
    },
  ];
}

/** The floor of a shutdown, in ms: each plugin stopped once everything depending on it has stopped. */
async function handStop(classes) {
  const platform = handWrittenPlatform(classes);
  await platform.startAll();
  const start = process.hrtime.bigint();
  await platform.stopAll();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function shutdownRows() {
  const HOOK_MS = 5;
  const hooks = { shutdown: () => sleep(HOOK_MS) };
  const { classes } = generatePlugins(200, { maxDeps: 2, window: 25, seed: 11, hooks });
  const chain = longestChain(classes);
  // Each run lasts about 100 ms, and timer lateness varies from run to run: a median of 15.
  const ms = await medianOf(15, async () => {
    const registry = registryWith(classes);
    await registry.startAll();
    const start = process.hrtime.bigint();
    const report = await registry.shutdownAll();
    if (report.stopped.length !== 200) throw new Error('the benchmark platform did not stop');
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  const handMs = await medianOf(15, () => handStop(classes));
  const critical = chain * HOOK_MS;
  return [
    {
      name: `shutdownAll, 200 plugins, ${HOOK_MS} ms hooks, against its critical path of ${chain}`,
      subjectMs: round(ms),
      baselineMs: critical,
      ratio: round(ms / critical, 3),
      goal: '<= 1.1',
      pass: ms / critical <= 1.1,
    },
    {
      name: 'for reference: a hand-written concurrent stopper, against the same critical path (timer lateness)',
      subjectMs: round(handMs),
      baselineMs: critical,
      ratio: round(handMs / critical, 3),
      goal: 'the floor of the row above',
    },
  ];
}

function heap() {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

/** The heap that what `build` makes holds, per plugin, measured while it is still referenced. */
async function perPlugin(count, build) {
  const before = heap();
  const kept = await build();
  const bytes = (heap() - before) / count;
  if (kept === undefined) throw new Error('nothing was built');
  return bytes;
}

async function heapRows() {
  const COUNT = 10_000;
  const { classes } = generatePlugins(COUNT, { maxDeps: 2, window: 50, seed: 5 });
  const floeBytes = await perPlugin(COUNT, async () => {
    const registry = registryWith(classes);
    const report = await registry.startAll();
    if (report.started.length !== COUNT) throw new Error('the benchmark platform did not start');
    return registry;
  });
  const inversifyBytes = await perPlugin(COUNT, async () => {
    const container = new Container();
    const ids = classes.map((cls, i) => {
      const id = Symbol(String(i));
      container.bind(id).to(cls).inSingletonScope();
      return id;
    });
    for (const id of ids) await container.getAsync(id);
    return container;
  });
  return [
    {
      name: `heap per live plugin, ${COUNT} registered and started`,
      subjectBytes: Math.round(floeBytes),
      baselineBytes: Math.round(inversifyBytes),
      ratio: round(floeBytes / 1024, 2),
      goal: '<= 2.5 KB (raw Inversify bind + getAsync is the baseline)',
      pass: floeBytes <= 2.5 * 1024,
    },
  ];
}

/** Wall time of a fresh process, in ms. */
function processMs(args, cwd) {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'ignore'] });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function coldRows() {
  const root = generateTree(1_000);
  settleDisk();
  try {
    const floe = path.join(__dirname, '..', 'bin', 'floe.js');
    const scan = `(${bareScan.toString()})(${JSON.stringify(root)})`;
    const listMs = [];
    const scanMs = [];
    for (let i = 0; i < 2; i++) {
      processMs([floe, 'list', '--json', '--root', root]);
      processMs(['-e', scan]);
    }
    for (let i = 0; i < 9; i++) {
      listMs.push(processMs([floe, 'list', '--json', '--root', root]));
      scanMs.push(processMs(['-e', scan]));
    }
    const mid = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const requireScript = [
      "const t0 = performance.now(); require('inversify'); const t1 = performance.now();",
      `require(${JSON.stringify(path.join(__dirname, '..', 'dist'))});`,
      'process.stdout.write(String(performance.now() - t1));',
    ].join(' ');
    const requires = [];
    for (let i = 0; i < 9; i++)
      requires.push(Number(execFileSync(process.execPath, ['-e', requireScript], { encoding: 'utf8' })));
    const listRatio = mid(listMs) / mid(scanMs);
    const requireMs = mid(requires);
    return [
      {
        name: 'cold floe list --json, 1,000 packages, against a process that only scans them',
        subjectMs: round(mid(listMs)),
        baselineMs: round(mid(scanMs)),
        ratio: round(listRatio),
        goal: '<= 1.5',
        pass: listRatio <= 1.5,
      },
      {
        name: "cold require('floe-core') after require('inversify')",
        subjectMs: round(requireMs),
        baselineMs: 40,
        ratio: round(requireMs / 40),
        goal: '<= 40 ms',
        pass: requireMs <= 40,
      },
    ];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

module.exports = async function costBench() {
  return [...(await cpuRows()), ...(await shutdownRows()), ...(await heapRows()), ...(await coldRows())];
};
