import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshImporter } from '../../src/discovery/plugin-loader';
import { PackageTree } from '../support/package-tree';
import { REPO_ROOT, requireBuild, runNode } from '../support/run-node';

/*
 * Loading new code of a package that changed on disk, as a refresh will: CommonJS packages are evaluated
 * again whole; an ES module entry is evaluated again, but the files it imports stay as first loaded. Module
 * caches are Node's own, so this runs in a real Node process (Jest has a module registry of its own).
 */

const RUNNER = `
const fs = require('node:fs');
const path = require('node:path');
const { freshImporter, loadPluginClass } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'discovery', 'plugin-loader.js'))});
const { getPluginOptions } = require('floe-core');
const [folder, esm] = process.argv.slice(2);
const packageDir = fs.realpathSync(path.join('node_modules', folder));
const entry = {
  key: 'floe.secrets:vault', type: 'floe.secrets', name: 'vault', packageName: folder, packageDir,
  manifestPath: path.join(packageDir, 'package.json'), target: './index.js#Vault', modulePath: './index.js',
  exportName: 'Vault', esm: esm === 'esm', isProject: false,
};
const write = (version) => {
  for (const [file, text] of Object.entries(JSON.parse(fs.readFileSync(path.join(packageDir, 'next-' + version + '.json'), 'utf8'))))
    fs.writeFileSync(path.join(packageDir, file), text);
};
const describe = (cls) => ({ version: getPluginOptions(cls).version, helper: cls.helperVersion });
(async () => {
  write('1.0.0');
  const first = await loadPluginClass(entry, '1.0', { importModule: freshImporter(packageDir, 1) });
  write('2.0.0');
  const cached = await loadPluginClass(entry, '1.0');
  const second = await loadPluginClass(entry, '1.0', { importModule: freshImporter(packageDir, 2) });
  // What the loader's module still holds of the package: only the last generation.
  const loader = require.cache[require.resolve(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'discovery', 'plugin-loader.js'))})];
  const held = loader.children.filter((child) => child.filename.startsWith(packageDir + path.sep)).length;
  process.stdout.write(JSON.stringify({
    first: describe(first), cachedIsFirst: cached === first, second: describe(second), secondIsFirst: second === first, held,
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

function files(esm: boolean, version: string): Record<string, string> {
  return esm
    ? {
        'helper.js': `export const version = ${JSON.stringify(version)};`,
        'index.js': [
          "import { FloePlugin, PluginMetadata } from 'floe-core';",
          "import { version as helperVersion } from './helper.js';",
          'export class Vault extends PluginMetadata { static helperVersion = helperVersion; }',
          `FloePlugin({ type: 'floe.secrets', name: 'vault', version: ${JSON.stringify(version)}, apiVersion: '1.0' })(Vault);`,
        ].join('\n'),
      }
    : {
        'helper.js': `exports.version = ${JSON.stringify(version)};`,
        'index.js': [
          "const floe = require('floe-core');",
          "const { version } = require('./helper.js');",
          'class Vault extends floe.PluginMetadata {}',
          'Vault.helperVersion = version;',
          "floe.FloePlugin({ type: 'floe.secrets', name: 'vault', version, apiVersion: '1.0' })(Vault);",
          'exports.Vault = Vault;',
        ].join('\n'),
      };
}

describe('freshImporter: new code of a package that changed', () => {
  let tree: PackageTree;
  beforeAll(() => {
    requireBuild();
    tree = PackageTree.create('fresh');
    tree.linkFloeCore();
    for (const library of ['inversify', 'reflect-metadata', 'class-validator', 'class-transformer'])
      tree.linkDependency(library);
    for (const scoped of fs.readdirSync(path.join(REPO_ROOT, 'node_modules', '@inversifyjs')))
      tree.linkDependency(`@inversifyjs/${scoped}`);
    tree.write('runner.js', RUNNER);
    for (const [folder, esm] of [
      ['vault-cjs', false],
      ['vault-esm', true],
    ] as const) {
      tree.package(folder, esm ? { type: 'module' } : {}, {
        'next-1.0.0.json': JSON.stringify(files(esm, '1.0.0')),
        'next-2.0.0.json': JSON.stringify(files(esm, '2.0.0')),
      });
    }
  });
  afterAll(() => tree.remove());

  it('evaluates a CommonJS package again, its own requires included', async () => {
    const { code, stdout, stderr } = await runNode(['runner.js', 'vault-cjs', 'cjs'], tree.root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      first: { version: '1.0.0', helper: '1.0.0' },
      cachedIsFirst: true,
      second: { version: '2.0.0', helper: '2.0.0' },
      secondIsFirst: false,
      held: 1,
    });
  });

  it('evaluates an ES module entry again under a new URL; the files it imports stay as first loaded', async () => {
    const { code, stdout, stderr } = await runNode(['runner.js', 'vault-esm', 'esm'], tree.root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      first: { version: '1.0.0', helper: '1.0.0' },
      cachedIsFirst: false,
      second: { version: '2.0.0', helper: '1.0.0' },
      secondIsFirst: false,
      held: 0,
    });
  });
});

describe('freshImporter, how it picks the module system', () => {
  let tree: PackageTree;
  beforeAll(() => {
    tree = PackageTree.create('fresh-kind');
    tree.write('pkg/plain.cjs', 'module.exports = { kind: "commonjs" };');
    tree.write('pkg/plain.js', 'module.exports = { kind: "commonjs" };');
  });
  afterAll(() => tree.remove());

  it('requires CommonJS files (.cjs always, .js in a CommonJS package) and imports ES modules', async () => {
    const fresh = freshImporter(tree.path('pkg'), 1);
    expect(fresh(tree.path('pkg/plain.cjs'), true)).toEqual({ kind: 'commonjs' });
    expect(fresh(tree.path('pkg/plain.js'), false)).toEqual({ kind: 'commonjs' });
    // An ES module goes through import(): a promise (which Jest's module registry cannot fulfil here).
    for (const [file, esm] of [
      ['pkg/plain.js', true],
      ['pkg/other.mjs', false],
    ] as const) {
      const imported = fresh(tree.path(file), esm);
      expect(imported).toBeInstanceOf(Promise);
      await (imported as Promise<unknown>).catch(() => undefined);
    }
  });
});
