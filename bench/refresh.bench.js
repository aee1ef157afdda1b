'use strict';
/*
 * registry.refresh() on a platform of 1,000 started plugins (each a real CommonJS package): one changed
 * package must cost about one scan of node_modules plus the restart of that one plugin, not something that
 * grows with the plugins started; and updating one plugin 200 times must keep the heap within a stated bound
 * per update (the old CommonJS modules are freed).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { round } = require('./harness');
const { PluginRegistry, createSilentLogger } = require('../dist');
const { discoverPlugins } = require('../dist/discovery/discover-plugins');
const { ownLibraryCopies } = require('../dist/discovery/library-copies');

const TYPES = ['floe.computes', 'floe.catalogs', 'floe.storage', 'floe.secrets', 'floe.identity'];

function pluginSource(i, version, padding = '') {
  return [
    "const floe = require('floe-core');",
    `class Plugin${i} extends floe.PluginMetadata {}`,
    `Plugin${i}.padding = ${JSON.stringify(padding)};`,
    `floe.FloePlugin({ type: '${TYPES[i % TYPES.length]}', name: 'p${i}', version: '${version}', apiVersion: '1.0' })(Plugin${i});`,
    `exports.Plugin${i} = Plugin${i};`,
  ].join('\n');
}

function writePackage(root, i, version, padding) {
  const dir = path.join(root, 'node_modules', `pkg-${i}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.js'), pluginSource(i, version, padding));
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: `pkg-${i}`,
      version,
      floe: { plugins: { [TYPES[i % TYPES.length]]: { [`p${i}`]: `./index.js#Plugin${i}` } } },
    }),
  );
}

function platform(count) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `floe-refresh-${count}-`));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'bench', version: '1.0.0' }));
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(path.join(__dirname, '..'), path.join(root, 'node_modules', 'floe-core'));
  for (let i = 0; i < count; i++) writePackage(root, i, '1.0.0');
  return root;
}

const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeRows() {
  const rows = [];
  const ratios = {};
  for (const count of [100, 1000]) {
    const root = platform(count);
    try {
      const registry = new PluginRegistry({ rootDir: root, logger: createSilentLogger() });
      registry.discoverAll();
      await registry.startAll();
      for (let i = 0; i < 3; i++) await registry.refresh();
      const scans = [];
      const refreshes = [];
      for (let run = 1; run <= 9; run++) {
        let start = performance.now();
        // The scan a refresh makes: every package.json, and where each plugin package resolves Inversify.
        discoverPlugins(root, { libraries: ownLibraryCopies(), isTaken: () => undefined });
        scans.push(performance.now() - start);
        writePackage(root, count >> 1, `1.0.${run}`);
        start = performance.now();
        const report = await registry.refresh();
        refreshes.push(performance.now() - start);
        if (report.updated.length !== 1 || report.restarted.length !== 1) throw new Error(JSON.stringify(report));
      }
      await registry.shutdownAll();
      ratios[count] = mid(refreshes) / mid(scans);
      const extraMs = mid(refreshes) - mid(scans);
      rows.push({
        name: `refresh of one changed plugin among ${count} started, against one scan of the same node_modules`,
        subjectMs: round(mid(refreshes)),
        baselineMs: round(mid(scans)),
        ratio: round(ratios[count]),
        extraMs: round(extraMs),
        // At 100 plugins the scan takes about as long as restarting the one plugin does: only the large
        // platform has a target.
        ...(count === 1000 ? { goal: '<= 1.5', pass: ratios[count] <= 1.5 } : {}),
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  return rows;
}

async function heapAfterGc() {
  for (let i = 0; i < 3; i++) {
    global.gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return process.memoryUsage().heapUsed;
}

async function heapRows() {
  const root = platform(20);
  try {
    const registry = new PluginRegistry({ rootDir: root, logger: createSilentLogger() });
    registry.discoverAll();
    await registry.startAll();
    // A module of about 20 KB, so that keeping old generations would show.
    const padding = 'x'.repeat(20_000);
    let version = 0;
    const update = async () => {
      writePackage(root, 7, `2.0.${++version}`, padding);
      const report = await registry.refresh();
      if (report.updated.length !== 1) throw new Error(JSON.stringify(report));
    };
    for (let i = 0; i < 20; i++) await update();
    const before = await heapAfterGc();
    for (let i = 0; i < 200; i++) await update();
    const after = await heapAfterGc();
    await registry.shutdownAll();
    const perCycle = (after - before) / 200;
    return [
      {
        name: 'heap per update of one CommonJS plugin (a 20 KB module), over 200 refreshes',
        subjectBytes: Math.round(perCycle),
        baselineBytes: 4096,
        ratio: round(perCycle / 4096),
        goal: '<= 4 KB per update (the old module is freed)',
        pass: perCycle <= 4096,
      },
    ];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

module.exports = async function refreshBench() {
  return [...(await timeRows()), ...(await heapRows())];
};
