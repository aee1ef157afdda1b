'use strict';
/*
 * Memory over many start/stop cycles: `get` then `shutdownAll` of a plugin that depends on another and has
 * a config schema, repeated; the heap after garbage collection must not grow with the number of cycles.
 */
const { PluginRegistry, PluginMetadata, FloePlugin, PluginType, createSilentLogger } = require('../dist');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const v8 = require('node:v8');
const { IsInt } = require('class-validator');
const { round } = require('./harness');

const CYCLES = 5000;

function platform() {
  class Settings {
    constructor() {
      this.threads = 4;
    }
  }
  IsInt()(Settings.prototype, 'threads');
  class Vault extends PluginMetadata {}
  FloePlugin({ type: PluginType.Secrets, name: 'vault', version: '1.0.0', apiVersion: '1.0' })(Vault);
  class Engine extends PluginMetadata {
    async startup() {}
    async shutdown() {}
  }
  FloePlugin({
    type: PluginType.Compute,
    name: 'engine',
    version: '1.0.0',
    apiVersion: '1.0',
    dependsOn: ['vault'],
    configSchema: Settings,
  })(Engine);
  const registry = new PluginRegistry({ rootDir: __dirname, logger: createSilentLogger() });
  registry.register(Vault);
  registry.register(Engine);
  return registry;
}

async function cycles(registry, count) {
  for (let i = 0; i < count; i++) {
    await registry.get(PluginType.Compute, 'engine');
    const report = await registry.shutdownAll();
    if (report.stopped.length !== 2) throw new Error('a cycle did not stop both plugins');
  }
}

// Objects only: the spaces holding compiled code and its metadata grow while the JIT warms up.
const OBJECT_SPACES = new Set(['new_space', 'old_space', 'large_object_space']);

function heap() {
  global.gc();
  global.gc();
  return v8
    .getHeapSpaceStatistics()
    .filter((space) => OBJECT_SPACES.has(space.space_name))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}

/** The least-squares slope of ys over xs. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

// The node types of a heap snapshot that are the program's own data (not code or V8's internals).
const DATA_NODES = new Set([
  'object',
  'closure',
  'array',
  'string',
  'concatenated string',
  'sliced string',
  'number',
  'regexp',
]);

/** How many data objects the heap holds after collection, counted in a heap snapshot. */
function objectCount() {
  global.gc();
  global.gc();
  const file = path.join(os.tmpdir(), `floe-cycles-${process.pid}.heapsnapshot`);
  v8.writeHeapSnapshot(file);
  try {
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
    const fields = snapshot.snapshot.meta.node_fields;
    const typeNames = snapshot.snapshot.meta.node_types[0];
    const typeAt = fields.indexOf('type');
    let count = 0;
    for (let i = typeAt; i < snapshot.nodes.length; i += fields.length) {
      if (DATA_NODES.has(typeNames[snapshot.nodes[i]])) count++;
    }
    return count;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

module.exports = async function cyclesBench() {
  if (typeof global.gc !== 'function') throw new Error('run with --expose-gc (npm run bench does)');
  const registry = platform();
  await cycles(registry, 5000); // warm up: caches, the container's first plans, and the JIT's compiled code

  // Exact: the objects left behind by CYCLES cycles, counted in heap snapshots. The first snapshot of a
  // process allocates some objects of its own, so one is taken and thrown away first.
  objectCount();
  const before = objectCount();
  await cycles(registry, CYCLES);
  const retained = objectCount() - before;

  // In bytes: the heap after collection moves by tens of kilobytes in steps (maps and weak lists grow and
  // shrink), so growth is the slope over 21 checkpoints, 1,000 cycles apart.
  const STEP = 1000;
  const xs = [];
  const ys = [];
  for (let done = 0; done <= 20 * STEP; done += STEP) {
    if (done > 0) await cycles(registry, STEP);
    xs.push(done);
    ys.push(heap());
  }
  const perCycle = slope(xs, ys);
  return [
    {
      name: `objects retained by ${CYCLES} start/stop cycles (get, then shutdownAll)`,
      retainedObjects: retained,
      ratio: round(retained / CYCLES, 4),
      goal: '< 0.01 per cycle (flat)',
      pass: retained / CYCLES < 0.01,
    },
    {
      name: `heap growth per start/stop cycle, slope over ${20 * STEP} cycles`,
      perCycleBytes: round(perCycle, 2),
      ratio: round(perCycle, 2),
      goal: '<= 16 B per cycle (flat)',
      pass: perCycle <= 16,
    },
  ];
};

module.exports.platform = platform;
module.exports.cycles = cycles;
