'use strict';
/* Generates package trees on disk for the discovery benchmarks. */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/**
 * Writes a project with `count` packages in node_modules (a tenth of them scoped), of which
 * `pluginShare` announce one plugin each. Package manifests look like real ones (a few hundred bytes).
 */
function generateTree(count, pluginShare = 0.1) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `floe-bench-${count}-`));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'bench-platform', version: '1.0.0' }));
  const groups = ['floe.computes', 'floe.catalogs', 'floe.storage', 'floe.secrets', 'floe.identity'];
  const every = Math.round(1 / pluginShare);
  for (let i = 0; i < count; i++) {
    const scoped = i % 10 === 3;
    const name = scoped ? `@scope${i % 7}/pkg-${i}` : `pkg-${i}`;
    const dir = path.join(root, 'node_modules', name);
    fs.mkdirSync(dir, { recursive: true });
    const manifest = {
      name,
      version: `1.${i % 10}.${i % 7}`,
      description: `Generated package number ${i} for the discovery benchmark`,
      main: 'index.js',
      license: 'MIT',
      repository: { type: 'git', url: `https://example.com/${name}.git` },
      dependencies: { 'left-pad': '^1.3.0', semver: '^7.0.0' },
      keywords: ['bench', 'generated', 'floe'],
      engines: { node: '>=20' },
    };
    if (i % every === 0)
      manifest.floe = { plugins: { [groups[i % groups.length]]: { [`p${i}`]: `./index.js#Plugin${i}` } } };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  }
  return root;
}

/**
 * The baseline: list node_modules (and scope folders) and read and parse every package.json, nothing else.
 */
function bareScan(root) {
  const nodeModules = path.join(root, 'node_modules');
  const manifests = [JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))];
  for (const entry of fs.readdirSync(nodeModules, { withFileTypes: true })) {
    const dirs = entry.name.startsWith('@')
      ? fs.readdirSync(path.join(nodeModules, entry.name)).map((n) => path.join(nodeModules, entry.name, n))
      : [path.join(nodeModules, entry.name)];
    for (const dir of dirs) {
      try {
        manifests.push(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')));
      } catch {
        // a folder without package.json
      }
    }
  }
  return manifests.length;
}

/** Waits for the kernel to write new trees out, so that no run is measured beside that writing. */
function settleDisk() {
  try {
    execFileSync('sync');
  } catch {
    // no sync command here: the runs alternate, so the writing hits subject and baseline alike
  }
}

module.exports = { generateTree, bareScan, settleDisk };
