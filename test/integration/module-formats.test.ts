import { PackageTree } from '../support/package-tree';
import { requireBuild, runNode } from '../support/run-node';

/*
 * ES module plugins need the real Node loader, which Jest's module system does not provide: these tests
 * run the built package in a child process against packages written to disk.
 */
describe('plugin module formats', () => {
  let tree: PackageTree;
  beforeAll(requireBuild);
  beforeEach(() => {
    tree = PackageTree.create('formats');
    tree.linkFloeCore();
  });
  afterEach(() => tree.remove());

  const esmPlugin = (name: string, prelude = '') =>
    [
      `import { FloePlugin, PluginMetadata } from 'floe-core';`,
      prelude,
      `export class Plugin extends PluginMetadata { startup() { globalThis.started = (globalThis.started ?? 0) + 1; } }`,
      `FloePlugin({ type: 'floe.computes', name: '${name}', version: '1.0.0', apiVersion: '1.0' })(Plugin);`,
    ].join('\n');

  const script = `
    const { PluginRegistry, PluginType, createSilentLogger } = require('floe-core');
    (async () => {
      const registry = new PluginRegistry({ rootDir: process.cwd(), logger: createSilentLogger() });
      const report = registry.discoverAll();
      const out = { issues: report.issues.map((i) => i.code), plugins: {} };
      for (const info of report.found) {
        try {
          const plugin = await registry.get(info.type, info.name);
          out.plugins[info.key] = { name: plugin.name, state: registry.info(info.type, info.name).state };
        } catch (error) {
          out.plugins[info.key] = { error: error.code, message: error.message };
        }
      }
      out.started = globalThis.started ?? 0;
      await registry.shutdownAll();
      console.log(JSON.stringify(out));
    })();`;

  it('loads CommonJS, ES module and top-level-await plugins in one platform', async () => {
    tree.project({});
    tree.package(
      'cjs-plugin',
      { floe: { plugins: { 'floe.computes': { cjs: './index.js#Plugin' } } } },
      {
        'index.js': [
          `const { FloePlugin, PluginMetadata } = require('floe-core');`,
          `class Plugin extends PluginMetadata { startup() { globalThis.started = (globalThis.started ?? 0) + 1; } }`,
          `FloePlugin({ type: 'floe.computes', name: 'cjs', version: '1.0.0', apiVersion: '1.0' })(Plugin);`,
          `exports.Plugin = Plugin;`,
        ].join('\n'),
      },
    );
    tree.package(
      'esm-plugin',
      { type: 'module', floe: { plugins: { 'floe.computes': { esm: './index.js#Plugin' } } } },
      {
        'index.js': esmPlugin('esm'),
      },
    );
    tree.package(
      'mjs-plugin',
      { floe: { plugins: { 'floe.computes': { mjs: './index.mjs#Plugin' } } } },
      {
        'index.mjs': esmPlugin('mjs'),
      },
    );
    tree.package(
      'tla-plugin',
      { type: 'module', floe: { plugins: { 'floe.computes': { tla: './index.js#Plugin' } } } },
      {
        'index.js': esmPlugin('tla', 'await new Promise((resolve) => setTimeout(resolve, 10));'),
      },
    );
    const result = await runNode(['-e', script], tree.root);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      issues: [],
      plugins: {
        'floe.computes:cjs': { name: 'cjs', state: 'active' },
        'floe.computes:esm': { name: 'esm', state: 'active' },
        'floe.computes:mjs': { name: 'mjs', state: 'active' },
        'floe.computes:tla': { name: 'tla', state: 'active' },
      },
      started: 4,
    });
  });

  it('reports an ES module that fails to evaluate as PLUGIN_LOAD_FAILED', async () => {
    tree.project({});
    tree.package(
      'bad-esm',
      { type: 'module', floe: { plugins: { 'floe.computes': { bad: './index.js#Plugin' } } } },
      {
        'index.js': `await Promise.resolve(); throw new Error('esm boom');`,
      },
    );
    const result = await runNode(['-e', script], tree.root);
    expect(JSON.parse(result.stdout).plugins['floe.computes:bad']).toMatchObject({ error: 'PLUGIN_LOAD_FAILED' });
  });
});
