'use strict';
/*
 * Where floe-core's time and memory go, on the graph of the peers benchmark (200 components in a 10-layer
 * DAG, instant hooks). Run after a build: npm run build && node bench/profile.js
 *
 * - CPU: a V8 CPU profile (--cpu-prof) of 400 warm start + stop rounds, summed by self time per function
 *   and per part (AbortSignals, garbage collection, floe-core, Inversify, Node and the rest).
 * - Memory: heap snapshots before and after starting 10,000 components (after a warm-up), compared by
 *   object kind: what each live component keeps, in bytes and objects.
 *
 * The profile and the snapshots are written to bench/results/ for Chrome DevTools or `node --inspect`.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { graph } = require('./peers.bench');

const RESULTS = path.join(__dirname, 'results');
const DIST = path.join(__dirname, '..', 'dist');

/** The script both measures run: the graph's classes (`nodes`, an expression), and a start. */
function program(nodes) {
  return `
const floe = require(${JSON.stringify(DIST)});
const TYPES = ['floe.computes', 'floe.catalogs', 'floe.storage', 'floe.secrets', 'floe.identity'];
const nodes = ${nodes};
const hook = () => undefined;
const classes = nodes.map((node) => {
  const cls = class extends floe.PluginMetadata { async startup() { await hook(); } async shutdown() { await hook(); } };
  floe.FloePlugin({ type: TYPES[node.id % TYPES.length], name: 'c' + node.id, version: '1.0.0', apiVersion: '1.0',
    dependsOn: node.deps.map((d) => TYPES[d % TYPES.length] + ':c' + d) })(cls);
  return cls;
});
async function start(chosen = classes) {
  const registry = new floe.PluginRegistry({ rootDir: __dirname, logger: floe.createSilentLogger() });
  for (const cls of chosen) registry.register(cls);
  if (!(await registry.startAll()).ok) throw new Error('floe-core did not start');
  return registry;
}
`;
}

function cpuProfile() {
  const dir = fs.mkdtempSync(path.join(RESULTS, 'cpu-'));
  const script = `${program(JSON.stringify(graph()))}
(async () => {
  for (let i = 0; i < 400; i++) await (await start()).shutdownAll();
})().catch((error) => { console.error(error); process.exit(1); });`;
  execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '-e', script], { cwd: __dirname });
  const [file] = fs.readdirSync(dir);
  const target = path.join(RESULTS, 'peers-floe.cpuprofile');
  fs.renameSync(path.join(dir, file), target);
  fs.rmSync(dir, { recursive: true });
  return { target, ...selfTimes(JSON.parse(fs.readFileSync(target, 'utf8'))) };
}

/** Self time per function and per part of a CPU profile, as shares of the whole. */
function selfTimes(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i];
    total += dt;
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const where = url.replace(/.*\/node_modules\//, '').replace(/.*\/dist\//, 'floe-core/');
    const key = `${functionName || '(anonymous)'} ${where}${where === '' ? '' : `:${lineNumber + 1}`}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + dt);
  });
  const byPart = new Map();
  for (const [key, time] of byFunction) byPart.set(partOf(key), (byPart.get(partOf(key)) ?? 0) + time);
  const share = (entries, count) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, time]) => ({ share: `${((100 * time) / total).toFixed(1)}%`, what: key }));
  return { parts: share(byPart, 10), functions: share(byFunction, 25) };
}

function partOf(key) {
  if (key.includes('abort_controller')) return 'AbortSignals (one per hook)';
  if (key.startsWith('(garbage collector)')) return 'garbage collection';
  if (key.includes('floe-core/')) return 'floe-core';
  if (key.includes('inversify')) return 'Inversify';
  if (key.includes('reflect-metadata')) return 'reflect-metadata';
  if (key.includes('node:')) return 'Node';
  if (key.startsWith('(program)') || key.startsWith('(idle)') || key.startsWith('runMicrotasks'))
    return 'V8 (microtasks, compiled code, idle)';
  return 'the benchmark itself and the rest';
}

function heapProfile() {
  const count = 10_000;
  const before = path.join(RESULTS, 'peers-floe-before.heapsnapshot');
  const after = path.join(RESULTS, 'peers-floe-after.heapsnapshot');
  // The peers benchmark's heap graph: component i depends on component i - 100.
  const big = `Array.from({ length: ${count} }, (_, id) => ({ id, deps: id >= 100 ? [id - 100] : [] }))`;
  const script = `${program(big)}
const v8 = require('node:v8');
const settle = async () => { for (let i = 0; i < 3; i++) { global.gc(); await new Promise((r) => setImmediate(r)); } };
(async () => {
  // Warmed up on a few components: modules loaded and one-time structures made are not per component.
  await (await start(classes.slice(0, 40))).shutdownAll();
  await settle();
  v8.writeHeapSnapshot(${JSON.stringify(before)});
  const registry = await start();
  await settle();
  v8.writeHeapSnapshot(${JSON.stringify(after)});
  await registry.shutdownAll();
})().catch((error) => { console.error(error); process.exit(1); });`;
  execFileSync(process.execPath, ['--expose-gc', '-e', script], { cwd: __dirname });
  return { before, after, kinds: heapDifference(before, after, count) };
}

/** What the second snapshot holds that the first did not, by object kind, per component. */
function heapDifference(beforeFile, afterFile, count) {
  const tally = (file) => {
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
    const fields = snapshot.snapshot.meta.node_fields;
    const types = snapshot.snapshot.meta.node_types[0];
    const [type, name, size] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
    const kinds = new Map();
    for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
      const kind = types[snapshot.nodes[i + type]];
      const label = ['string', 'concatenated string', 'sliced string'].includes(kind)
        ? 'strings'
        : `${kind} ${snapshot.strings[snapshot.nodes[i + name]]}`.slice(0, 60);
      const entry = kinds.get(label) ?? { objects: 0, bytes: 0 };
      entry.objects++;
      entry.bytes += snapshot.nodes[i + size];
      kinds.set(label, entry);
    }
    return kinds;
  };
  const before = tally(beforeFile);
  const after = tally(afterFile);
  const rows = [];
  for (const [label, { objects, bytes }] of after) {
    const was = before.get(label) ?? { objects: 0, bytes: 0 };
    const perComponent = (bytes - was.bytes) / count;
    if (perComponent >= 4)
      rows.push({
        kind: label,
        bytesPerComponent: Math.round(perComponent),
        objectsPerComponent: +((objects - was.objects) / count).toFixed(2),
      });
  }
  return rows.sort((a, b) => b.bytesPerComponent - a.bytesPerComponent).slice(0, 20);
}

function main() {
  if (!fs.existsSync(path.join(DIST, 'index.js'))) throw new Error('build first: npm run build');
  fs.mkdirSync(RESULTS, { recursive: true });
  const cpu = cpuProfile();
  console.log(
    `CPU of 400 warm start + stop rounds, by self time (profile: ${path.relative(process.cwd(), cpu.target)})`,
  );
  console.table(cpu.parts);
  console.table(cpu.functions);
  const heap = heapProfile();
  const total = heap.kinds.reduce((sum, row) => sum + row.bytesPerComponent, 0);
  console.log(`What each of 10,000 live components keeps (${total} B in the kinds below; snapshots in bench/results/)`);
  console.table(heap.kinds);
}

main();
