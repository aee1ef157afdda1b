import * as path from 'node:path';
import { createSilentLogger, FloePlugin, PluginMetadata, PluginRegistry, PluginType } from '../../src';
import { memoryLogger } from '../support/memory-logger';
import { floeField, loadCount, PackageTree, pluginModule } from '../support/package-tree';
import { rejection } from '../support/caught';

const logger = createSilentLogger();

function registryFor(tree: PackageTree): PluginRegistry {
  return new PluginRegistry({ rootDir: tree.root, logger });
}

describe('discovery on real package trees', () => {
  let tree: PackageTree;
  beforeEach(() => {
    tree = PackageTree.create('discovery');
  });
  afterEach(() => tree.remove());

  it('finds plugins of plain, scoped and symlinked packages and of the project itself', () => {
    tree.project(floeField(['floe.identity', 'local', './identity.js#localPlugin']), {
      'identity.js': pluginModule({ type: 'floe.identity', name: 'local' }),
    });
    tree.package('floe-plugin-duckdb', floeField(['floe.computes', 'duckdb', './index.js#duckdbPlugin']), {
      'index.js': pluginModule({ type: 'floe.computes', name: 'duckdb' }),
    });
    tree.package('@acme/polaris', floeField(['floe.catalogs', 'polaris', './lib/polaris.js#polarisPlugin']), {
      'lib/polaris.js': pluginModule({ type: 'floe.catalogs', name: 'polaris' }),
    });
    tree.write(
      'packages/vault/package.json',
      JSON.stringify({ name: 'vault-plugin', ...floeField(['floe.secrets', 'vault', './vault.js#vaultPlugin']) }),
    );
    tree.write('packages/vault/vault.js', pluginModule({ type: 'floe.secrets', name: 'vault' }));
    tree.link('node_modules/vault-plugin', '../packages/vault');
    tree.package('left-pad', {});

    const report = registryFor(tree).discoverAll();
    expect(report.issues).toEqual([]);
    expect(report.found.map((info) => [info.key, info.packageName, info.source, info.state])).toEqual([
      ['floe.identity:local', 'platform', 'discovered', 'discovered'],
      ['floe.catalogs:polaris', '@acme/polaris', 'discovered', 'discovered'],
      ['floe.computes:duckdb', 'floe-plugin-duckdb', 'discovered', 'discovered'],
      ['floe.secrets:vault', 'vault-plugin', 'discovered', 'discovered'],
    ]);
    expect(report.packagesScanned).toBe(5);
  });

  it('imports nothing while discovering, listing or describing', () => {
    tree.package('p', floeField(['floe.computes', 'lazy', './index.js#lazyPlugin']), {
      'index.js': pluginModule({ type: 'floe.computes', name: 'lazy' }),
    });
    const registry = registryFor(tree);
    registry.discoverAll();
    registry.list(PluginType.Compute);
    registry.listAll();
    registry.info(PluginType.Compute, 'lazy');
    expect(loadCount('floe.computes:lazy')).toBe(0);
  });

  it('is idempotent: a second discoverAll returns the same report and binds nothing twice', async () => {
    tree.package('p', floeField(['floe.computes', 'twice', './index.js#twicePlugin']), {
      'index.js': pluginModule({ type: 'floe.computes', name: 'twice' }),
    });
    const registry = registryFor(tree);
    const first = registry.discoverAll();
    expect(registry.discoverAll()).toBe(first);
    expect(registry.list(PluginType.Compute).map((info) => info.key)).toEqual(['floe.computes:twice']);
    // A second binding under the same type and name would make this resolution ambiguous.
    const plugin = await registry.container.getAsync<PluginMetadata>(PluginType.Compute, { name: 'twice' });
    expect(plugin.name).toBe('twice');
    expect(await registry.get(PluginType.Compute, 'twice')).toBe(plugin);
  });

  it('reports every kind of broken entry as an issue and keeps the valid plugins', () => {
    tree.package('ok', floeField(['floe.computes', 'ok', './index.js#okPlugin']), {
      'index.js': pluginModule({ type: 'floe.computes', name: 'ok' }),
    });
    tree.write('node_modules/bad-json/package.json', '{ "name": "bad-json", ');
    tree.package('bad-floe-field', { floe: ['not', 'an', 'object'] });
    tree.package('no-plugins-object', { floe: { plugins: 'x' } });
    tree.package('bad-group-value', { floe: { plugins: { 'floe.computes': 'x' } } });
    tree.package('unknown-group', floeField(['floe.compute', 'x', './x.js']));
    tree.package('bad-name', floeField(['floe.computes', 'bad name', './x.js']));
    tree.package('empty-target', floeField(['floe.computes', 'empty', '']));
    tree.package('number-target', { floe: { plugins: { 'floe.computes': { num: 42 } } } });
    tree.package('bad-export', floeField(['floe.computes', 'badexport', './x.js#']));
    tree.package('absolute', floeField(['floe.computes', 'abs', '/etc/passwd']));
    tree.package('escapes-package', floeField(['floe.computes', 'escape', '../ok/index.js#okPlugin']));
    tree.write('node_modules/no-manifest/index.js', '');
    tree.write('node_modules/array-json/package.json', '[]');

    const report = registryFor(tree).discoverAll();
    expect(report.found.map((info) => info.key)).toEqual(['floe.computes:ok']);
    const byPackage = Object.fromEntries(report.issues.map((issue) => [issue.packageName, issue.code]));
    expect(byPackage).toEqual({
      'bad-json': 'PACKAGE_JSON_INVALID',
      'array-json': 'PACKAGE_JSON_INVALID',
      'bad-floe-field': 'MANIFEST_INVALID',
      'no-plugins-object': 'MANIFEST_INVALID',
      'bad-group-value': 'MANIFEST_INVALID',
      'unknown-group': 'UNKNOWN_PLUGIN_TYPE',
      'bad-name': 'PLUGIN_NAME_INVALID',
      'empty-target': 'ENTRY_INVALID',
      'number-target': 'ENTRY_INVALID',
      'bad-export': 'ENTRY_INVALID',
      absolute: 'ENTRY_ABSOLUTE',
      'escapes-package': 'ENTRY_ESCAPES_PACKAGE',
    });
    for (const issue of report.issues) {
      expect(issue.path).toBe(tree.path('node_modules', issue.packageName as string, 'package.json'));
      expect(issue.message).toContain(issue.packageName);
    }
  });

  it('logs each issue as a warning with structured fields', () => {
    tree.write('node_modules/bad-json/package.json', '{');
    const { logger: capture, entries } = memoryLogger();
    new PluginRegistry({ rootDir: tree.root, logger: capture }).discoverAll();
    const warning = entries.find((entry) => entry.event === 'discovery.issue');
    expect(warning).toMatchObject({ level: 'warn', code: 'PACKAGE_JSON_INVALID', package: 'bad-json' });
  });

  it('still finds every valid plugin when half the packages are broken', () => {
    for (let i = 0; i < 40; i++) {
      const name = `pkg-${String(i).padStart(2, '0')}`;
      if (i % 2 === 0) {
        tree.package(name, floeField(['floe.computes', `c${i}`, `./index.js#c${i}Plugin`]), {
          'index.js': pluginModule({ type: 'floe.computes', name: `c${i}` }),
        });
      } else if (i % 4 === 1) tree.write(`node_modules/${name}/package.json`, '{ broken');
      else tree.package(name, floeField(['floe.nope', `c${i}`, './index.js']));
    }
    const report = registryFor(tree).discoverAll();
    expect(report.found).toHaveLength(20);
    expect(report.issues).toHaveLength(20);
  });

  it('keeps the first claim of a key: the project, then packages in name order, and reports the rest', () => {
    tree.project(floeField(['floe.computes', 'dup', './dup.js#dupPlugin']), {
      'dup.js': pluginModule({ type: 'floe.computes', name: 'dup' }),
    });
    tree.package('b-dup', floeField(['floe.computes', 'dup', './x.js'], ['floe.computes', 'bdup', './x.js']));
    tree.package('a-dup', floeField(['floe.computes', 'dup', './x.js'], ['floe.computes', 'bdup', './y.js']));
    const report = registryFor(tree).discoverAll();
    expect(report.found.map((info) => [info.key, info.packageName])).toEqual([
      ['floe.computes:dup', 'platform'],
      ['floe.computes:bdup', 'a-dup'],
    ]);
    expect(report.issues.map((issue) => [issue.code, issue.packageName])).toEqual([
      ['PLUGIN_DUPLICATE', 'a-dup'],
      ['PLUGIN_DUPLICATE', 'b-dup'],
      ['PLUGIN_DUPLICATE', 'b-dup'],
    ]);
  });

  it('lets a plugin registered by hand win over a discovered one with the same key', () => {
    tree.package('p', floeField(['floe.secrets', 'handmade', './x.js']));
    const registry = registryFor(tree);
    class Handmade extends PluginMetadata {}
    FloePlugin({ type: PluginType.Secrets, name: 'handmade', version: '1.0.0', apiVersion: '1.0' })(Handmade);
    registry.register(Handmade);
    const report = registry.discoverAll();
    expect(report.found).toEqual([]);
    expect(report.issues.map((issue) => issue.code)).toEqual(['PLUGIN_DUPLICATE']);
    expect(registry.info(PluginType.Secrets, 'handmade').source).toBe('registered');
  });

  it('reads a package linked twice once and does not loop on a symlink cycle', () => {
    tree.package('real', floeField(['floe.computes', 'real', './index.js#realPlugin']), {
      'index.js': pluginModule({ type: 'floe.computes', name: 'real' }),
    });
    tree.link('node_modules/alias', 'real');
    tree.link('node_modules/@loop', '.');
    tree.link('node_modules/self', '..');
    tree.link('node_modules/dangling', './does-not-exist');
    const report = registryFor(tree).discoverAll();
    expect(report.found.map((info) => info.key)).toEqual(['floe.computes:real']);
    expect(report.issues).toEqual([]);
  });

  it('refuses to import a module that a symlink takes out of its package, and never runs it', async () => {
    tree.write('outside/evil.js', pluginModule({ type: 'floe.computes', name: 'evil' }));
    tree.package('evil-pkg', floeField(['floe.computes', 'evil', './lib/evil.js#evilPlugin']));
    tree.link('node_modules/evil-pkg/lib', path.join(tree.root, 'outside'));
    const registry = registryFor(tree);
    expect(registry.discoverAll().issues).toEqual([]);
    const error = await rejection(registry.get(PluginType.Compute, 'evil'));
    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('outside its package');
    expect(loadCount('floe.computes:evil')).toBe(0);
    expect(registry.info(PluginType.Compute, 'evil').state).toBe('failed');
  });

  it('imports a plugin once on first use, even when asked for concurrently', async () => {
    tree.package('once', floeField(['floe.computes', 'once', './index.js#oncePlugin']), {
      'index.js': pluginModule({ type: 'floe.computes', name: 'once' }),
    });
    const registry = registryFor(tree);
    registry.discoverAll();
    const instances = await Promise.all(Array.from({ length: 10 }, () => registry.get(PluginType.Compute, 'once')));
    expect(new Set(instances).size).toBe(1);
    expect(loadCount('floe.computes:once')).toBe(1);
    await registry.get(PluginType.Compute, 'once');
    expect(loadCount('floe.computes:once')).toBe(1);
    expect(registry.info(PluginType.Compute, 'once')).toMatchObject({
      state: 'active',
      version: '1.0.0',
      apiVersion: '1.0',
      dependsOn: [],
    });
  });

  it('loads a default export, an extensionless target and the package main', async () => {
    tree.package('default-export', floeField(['floe.computes', 'dflt', './lib/plugin']), {
      'lib/plugin.js': pluginModule({ type: 'floe.computes', name: 'dflt', exportStyle: 'default' }),
    });
    tree.package(
      'main-entry',
      { main: 'main.js', ...floeField(['floe.storage', 'main', '.#mainPlugin']) },
      {
        'main.js': pluginModule({ type: 'floe.storage', name: 'main' }),
      },
    );
    const registry = registryFor(tree);
    registry.discoverAll();
    expect((await registry.get<PluginMetadata>(PluginType.Compute, 'dflt')).name).toBe('dflt');
    expect((await registry.get<PluginMetadata>(PluginType.Storage, 'main')).name).toBe('main');
  });

  it.each([
    ['a missing module', { 'other.js': '' }, './missing.js#x', 'PLUGIN_LOAD_FAILED'],
    [
      'a module that throws on import',
      { 'index.js': 'throw new Error("boom at import")' },
      './index.js',
      'PLUGIN_LOAD_FAILED',
    ],
    [
      'a missing export',
      { 'index.js': pluginModule({ type: 'floe.computes', name: 'broken' }) },
      './index.js#Nope',
      'PLUGIN_INVALID',
    ],
    ['an undecorated class', { 'index.js': 'exports.Plain = class Plain {}' }, './index.js#Plain', 'PLUGIN_INVALID'],
    [
      'metadata naming another plugin',
      { 'index.js': pluginModule({ type: 'floe.computes', name: 'other' }) },
      './index.js#otherPlugin',
      'PLUGIN_INVALID',
    ],
    [
      'metadata naming another type',
      { 'index.js': pluginModule({ type: 'floe.catalogs', name: 'broken' }) },
      './index.js#brokenPlugin',
      'PLUGIN_INVALID',
    ],
    [
      'an incompatible apiVersion',
      { 'index.js': pluginModule({ type: 'floe.computes', name: 'broken', apiVersion: '2.0' }) },
      './index.js#brokenPlugin',
      'PLUGIN_INCOMPATIBLE',
    ],
    [
      'a newer minor apiVersion',
      { 'index.js': pluginModule({ type: 'floe.computes', name: 'broken', apiVersion: '1.1' }) },
      './index.js#brokenPlugin',
      'PLUGIN_INCOMPATIBLE',
    ],
  ])(
    'turns %s into a coded error on first use, and does not cache the failure',
    async (_label, files, target, code) => {
      tree.package('broken', floeField(['floe.computes', 'broken', target]), files);
      const registry = registryFor(tree);
      registry.discoverAll();
      const first = await rejection(registry.get(PluginType.Compute, 'broken'));
      expect(first.code).toBe(code);
      expect(first.message).toContain('broken');
      const second = await rejection(registry.get(PluginType.Compute, 'broken'));
      expect(second).not.toBe(first);
      expect(second.code).toBe(code);
    },
  );

  it('keeps the import error as the cause', async () => {
    tree.package('throws', floeField(['floe.computes', 'throws', './index.js']), {
      'index.js': 'throw new TypeError("bad")',
    });
    const registry = registryFor(tree);
    registry.discoverAll();
    const error = await rejection(registry.get(PluginType.Compute, 'throws'));
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toBe('bad');
  });

  it('accepts an older minor apiVersion of the same major', async () => {
    tree.package('older', floeField(['floe.computes', 'older', './index.js#olderPlugin']), {
      'index.js': pluginModule({ type: 'floe.computes', name: 'older', apiVersion: '1.0' }),
    });
    const registry = new PluginRegistry({ rootDir: tree.root, logger, apiVersion: '1.3' });
    registry.discoverAll();
    expect((await registry.get<PluginMetadata>(PluginType.Compute, 'older')).apiVersion).toBe('1.0');
  });
});
