import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSilentLogger, type PluginError, PluginRegistry, PluginType, type RefreshReport } from '../../src';
import { deferred, until } from '../support/lifecycle-fixtures';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';
import { REPO_ROOT } from '../support/run-node';

/*
 * refresh() in this process, next to the other operations of the lifecycle. Jest keeps a module registry
 * of its own, so each import is made in an isolated one (as a refresh's fresh import is in Node).
 */

const isolated = (file: string): unknown => {
  let loaded: unknown;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin module, by path
    loaded = require(file);
  });
  return loaded;
};

/** Hooks the generated plugins call: `globalThis.__hooks[key]`. */
const hooks = globalThis as unknown as { __hooks: Record<string, { startup?: () => unknown }> };

function install(
  tree: PackageTree,
  folder: string,
  type: string,
  name: string,
  version = '1.0.0',
  dependsOn: string[] = [],
  inject?: string,
) {
  const key = `${type}:${name}`;
  const className = `${folder}Plugin`;
  fs.rmSync(tree.path('node_modules', folder), { recursive: true, force: true });
  const source = pluginModule({
    type,
    name,
    version,
    dependsOn,
    className,
    // A hook for this version (`key@version`) wins over one for every version (`key`).
    body: [
      'constructor(dep = undefined) { super(); this.dep = dep; }',
      `startup() { const h = globalThis.__hooks; return (h[${JSON.stringify(`${key}@${version}`)}] ?? h[${JSON.stringify(key)}])?.startup?.(); }`,
    ].join('\n'),
  });
  // A bare @inject(type) of the constructor's parameter, when asked for.
  const injected =
    inject === undefined
      ? source
      : source.replace(
          'floe.FloePlugin(',
          `require('inversify').inject(${JSON.stringify(inject)})(${className}, undefined, 0);\nfloe.FloePlugin(`,
        );
  // One file per version: Jest reads a file once per path, as its module registry caches it.
  tree.package(
    folder,
    { version, ...floeField([type, name, `./index-${version}.js#${className}`]) },
    {
      [`index-${version}.js`]: injected,
    },
  );
}

const brief = (report: RefreshReport) => ({
  ...report,
  failed: report.failed.map(({ key, error }) => [key, (error as PluginError).code]),
});

describe('refresh() among the other operations', () => {
  let tree: PackageTree;
  let registry: PluginRegistry;
  beforeEach(() => {
    hooks.__hooks = {};
    tree = PackageTree.create('refresh-overlaps');
    tree.project({});
    registry = new PluginRegistry({
      rootDir: tree.root,
      logger: createSilentLogger(),
      loader: { importModule: isolated },
      timeouts: { startupMs: 2000 },
    });
  });
  afterEach(async () => {
    await registry.shutdownAll();
    tree.remove();
  });

  it('discovers everything on a first refresh, and starts nothing when nothing was started', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    expect(brief(await registry.refresh())).toEqual({
      ok: true,
      added: ['floe.secrets:vault'],
      removed: [],
      updated: [],
      restarted: [],
      failed: [],
    });
    expect(registry.info(PluginType.Secrets, 'vault').state).toBe('discovered');
    expect(registry.discoverAll().found.map((p) => p.key)).toEqual(['floe.secrets:vault']);
  });

  it('adds, updates and removes in one refresh, starting the new and restarting the changed', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    install(tree, 'lake', 'floe.catalogs', 'lake', '1.0.0', ['floe.secrets:vault']);
    install(tree, 'old', 'floe.storage', 'old');
    registry.discoverAll();
    await registry.startAll();
    install(tree, 'vault', 'floe.secrets', 'vault', '1.1.0');
    install(tree, 'duck', 'floe.computes', 'duck', '1.0.0', ['floe.catalogs:lake']);
    fs.rmSync(tree.path('node_modules', 'old'), { recursive: true });
    const report = await registry.refresh();
    expect(brief(report)).toEqual({
      ok: true,
      added: ['floe.computes:duck'],
      removed: ['floe.storage:old'],
      updated: ['floe.secrets:vault'],
      restarted: ['floe.secrets:vault', 'floe.catalogs:lake'],
      failed: [],
    });
    expect(registry.info(PluginType.Secrets, 'vault').version).toBe('1.1.0');
    expect(registry.info(PluginType.Compute, 'duck').state).toBe('active');
    expect(() => registry.info(PluginType.Storage, 'old')).toThrow(
      expect.objectContaining({ code: 'PLUGIN_NOT_FOUND' }),
    );
    expect(registry.status().expected.map((p) => p.key)).toEqual([
      'floe.catalogs:lake',
      'floe.computes:duck',
      'floe.secrets:vault',
    ]);
    // The container hands out the new instance by name.
    const vault = await registry.get(PluginType.Secrets, 'vault');
    expect(await registry.container.getAsync(PluginType.Secrets, { name: 'vault' })).toBe(vault);
  });

  it('waits for a start in flight, then replaces the plugin it started and starts the new code', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    registry.discoverAll();
    const gate = deferred();
    let began = false;
    hooks.__hooks['floe.secrets:vault'] = { startup: () => ((began = true), gate.promise) };
    const starting = registry.get(PluginType.Secrets, 'vault');
    await until(() => began);
    install(tree, 'vault', 'floe.secrets', 'vault', '2.0.0');
    hooks.__hooks = {};
    const refreshing = registry.refresh();
    gate.resolve();
    const first = await starting;
    expect(brief(await refreshing)).toMatchObject({
      updated: ['floe.secrets:vault'],
      restarted: ['floe.secrets:vault'],
    });
    // The instance it started was stopped by the refresh: the get hands out the new one instead.
    expect(await registry.get(PluginType.Secrets, 'vault')).toBe(first);
    expect(registry.info(PluginType.Secrets, 'vault').version).toBe('2.0.0');
  });

  it('gives a get asked just before a refresh the new code, or PLUGIN_NOT_FOUND once its package is gone', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    install(tree, 'env', 'floe.secrets', 'env');
    registry.discoverAll();
    await registry.load(PluginType.Secrets, 'vault');
    await registry.load(PluginType.Secrets, 'env');
    const vault = registry.get(PluginType.Secrets, 'vault');
    const env = registry.get(PluginType.Secrets, 'env');
    install(tree, 'vault', 'floe.secrets', 'vault', '2.0.0');
    fs.rmSync(tree.path('node_modules', 'env'), { recursive: true });
    expect(brief(await registry.refresh())).toMatchObject({
      updated: ['floe.secrets:vault'],
      removed: ['floe.secrets:env'],
    });
    await vault;
    expect(registry.info(PluginType.Secrets, 'vault')).toMatchObject({ state: 'active', version: '2.0.0' });
    await expect(env).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
  });

  it('starts the new code of a plugin a startAll asked for, when a refresh replaces it before it began', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    registry.discoverAll();
    await registry.load(PluginType.Secrets, 'vault');
    const starting = registry.startAll();
    install(tree, 'vault', 'floe.secrets', 'vault', '2.0.0');
    const [startup, refresh] = await Promise.all([starting, registry.refresh()]);
    expect(brief(refresh)).toMatchObject({ updated: ['floe.secrets:vault'], restarted: ['floe.secrets:vault'] });
    expect(registry.info(PluginType.Secrets, 'vault')).toMatchObject({ state: 'active', version: '2.0.0' });
    // The startAll's own start of the old code did not happen: it says so.
    expect(startup.failed.map(({ key, error }) => [key, (error as PluginError).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_START_CANCELLED'],
    ]);
  });

  it('makes a start asked for during a refresh wait for it, and start the new code', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    registry.discoverAll();
    await registry.startAll();
    const gate = deferred();
    install(tree, 'vault', 'floe.secrets', 'vault', '2.0.0');
    hooks.__hooks['floe.secrets:vault'] = { startup: () => gate.promise };
    const refreshing = registry.refresh();
    const getting = registry.get(PluginType.Secrets, 'vault');
    gate.resolve();
    await refreshing;
    await getting;
    expect(registry.info(PluginType.Secrets, 'vault')).toMatchObject({ state: 'active', version: '2.0.0' });
  });

  it('applies the change but restarts nothing when a shutdown is asked for during it', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    install(tree, 'lake', 'floe.catalogs', 'lake', '1.0.0', ['floe.secrets:vault']);
    registry.discoverAll();
    await registry.startAll();
    install(tree, 'vault', 'floe.secrets', 'vault', '2.0.0');
    const refreshing = registry.refresh();
    const stopping = registry.shutdownAll();
    // The refresh was running when the shutdown was asked for: the shutdown cancels its restart, the change
    // stays applied, and nothing is live at the end.
    await stopping;
    const report = await refreshing;
    expect(report).toMatchObject({ ok: false, added: [], removed: [], updated: ['floe.secrets:vault'], restarted: [] });
    expect(new Set(brief(report).failed.map(([, code]) => code))).toEqual(new Set(['PLUGIN_START_CANCELLED']));
    expect(brief(report).failed.map(([key]) => key)).toContain('floe.catalogs:lake');
    expect(registry.status().expected).toEqual([]);
    expect(registry.info(PluginType.Secrets, 'vault')).toMatchObject({ state: 'discovered' });
    expect(registry.status().phase).toBe('stopping');
  });

  it('keeps a snapshot taken before a refresh able to bring the old plugins back', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    registry.discoverAll();
    await registry.load(PluginType.Secrets, 'vault');
    registry.snapshot();
    fs.rmSync(tree.path('node_modules', 'vault'), { recursive: true });
    install(tree, 'env', 'floe.secrets', 'env');
    await registry.refresh();
    expect(registry.listAll()['floe.secrets']).toEqual(['env']);
    await registry.restore();
    expect(registry.listAll()['floe.secrets']).toEqual(['vault']);
    expect(await registry.get(PluginType.Secrets, 'vault')).toBeDefined();
  });

  it('fails a dependent whose dependency was removed, and restarts one whose bare @inject now means another', async () => {
    // The injecting plugin's module requires inversify from its package.
    tree.linkDependency('inversify');
    for (const scoped of fs.readdirSync(path.join(REPO_ROOT, 'node_modules', '@inversifyjs')))
      tree.linkDependency(`@inversifyjs/${scoped}`);
    install(tree, 'vault', 'floe.secrets', 'vault');
    install(tree, 'lake', 'floe.catalogs', 'lake', '1.0.0', ['floe.secrets:vault']);
    install(tree, 'duck', 'floe.computes', 'duck', '1.0.0', [], 'floe.secrets');
    install(tree, 's3', 'floe.storage', 's3');
    registry.discoverAll();
    await registry.startAll();
    const s3 = await registry.get(PluginType.Storage, 's3');
    fs.rmSync(tree.path('node_modules', 'vault'), { recursive: true });
    install(tree, 'env', 'floe.secrets', 'env');
    expect(brief(await registry.refresh())).toEqual({
      ok: false,
      added: ['floe.secrets:env'],
      removed: ['floe.secrets:vault'],
      updated: [],
      restarted: ['floe.computes:duck'],
      failed: [['floe.catalogs:lake', 'PLUGIN_DEPENDENCY_REMOVED']],
    });
    const lake = registry.describe(PluginType.Catalog, 'lake');
    expect(lake.state).toBe('failed');
    expect(lake.error?.message).toContain('floe.secrets:vault, which it depends on, was removed');
    const duck = await registry.get<{ dep: unknown }>(PluginType.Compute, 'duck');
    expect(duck.dep).toBe(await registry.get(PluginType.Secrets, 'env'));
    expect(await registry.get(PluginType.Storage, 's3')).toBe(s3);
    expect(registry.status().expected.find((p) => p.key === 'floe.catalogs:lake')?.reason).toBe(
      'PLUGIN_DEPENDENCY_REMOVED',
    );
  });

  it('rolls back new code that fails to start, but keeps the new code of a dependent that waited on it', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    install(tree, 'lake', 'floe.catalogs', 'lake', '1.0.0', ['floe.secrets:vault']);
    registry.discoverAll();
    await registry.startAll();
    const oldVault = await registry.get(PluginType.Secrets, 'vault');
    install(tree, 'vault', 'floe.secrets', 'vault', '2.0.0');
    install(tree, 'lake', 'floe.catalogs', 'lake', '2.0.0', ['floe.secrets:vault']);
    hooks.__hooks['floe.secrets:vault@2.0.0'] = { startup: () => Promise.reject(new Error('broken release')) };
    expect(brief(await registry.refresh())).toEqual({
      ok: false,
      added: [],
      removed: [],
      updated: ['floe.catalogs:lake'],
      restarted: ['floe.secrets:vault', 'floe.catalogs:lake'],
      failed: [['floe.secrets:vault', 'PLUGIN_STARTUP_FAILED']],
    });
    expect(registry.info(PluginType.Secrets, 'vault')).toMatchObject({ state: 'active', version: '1.0.0' });
    expect(registry.info(PluginType.Catalog, 'lake')).toMatchObject({ state: 'active', version: '2.0.0' });
    expect(await registry.get(PluginType.Secrets, 'vault')).not.toBe(oldVault);
  });

  it('keeps the new code of a plugin that was neither live nor asked for, when it fails to start later', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    registry.discoverAll();
    install(tree, 'vault', 'floe.secrets', 'vault', '2.0.0');
    expect(brief(await registry.refresh())).toMatchObject({ ok: true, updated: ['floe.secrets:vault'], restarted: [] });
    expect(registry.info(PluginType.Secrets, 'vault').state).toBe('discovered');
  });

  it('reports a plugin whose module is missing, and leaves a half-written package alone', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    registry.discoverAll();
    await registry.startAll();
    install(tree, 'lake', 'floe.catalogs', 'lake', '1.0.0');
    const module = tree.path('node_modules', 'lake', 'index-1.0.0.js');
    const text = fs.readFileSync(module, 'utf8');
    fs.rmSync(module);
    expect(brief(await registry.refresh())).toEqual({
      ok: false,
      added: ['floe.catalogs:lake'],
      removed: [],
      updated: [],
      restarted: [],
      failed: [['floe.catalogs:lake', 'PLUGIN_LOAD_FAILED']],
    });
    // (Written again, it is imported by the next refresh: tested in a Node process of its own, as Jest's
    // resolver keeps a module it could not find as missing.)
    void text;
    fs.writeFileSync(tree.path('node_modules', 'vault', 'package.json'), '{"name": "vault", "vers');
    expect(brief(await registry.refresh())).toMatchObject({ added: [], removed: [], updated: [], restarted: [] });
    expect(registry.info(PluginType.Catalog, 'lake').state).toBe('failed');
    expect(registry.info(PluginType.Secrets, 'vault').state).toBe('active');
    expect(registry.discoverAll().issues.map((issue) => issue.code)).toEqual(['PACKAGE_JSON_INVALID']);
    expect(registry.discoverAll().found.map((p) => p.key)).toEqual(['floe.catalogs:lake', 'floe.secrets:vault']);
  });

  it('reports what a shutdown cut short while a refresh restarted plugins', async () => {
    install(tree, 'vault', 'floe.secrets', 'vault');
    install(tree, 'lake', 'floe.catalogs', 'lake', '1.0.0', ['floe.secrets:vault']);
    registry.discoverAll();
    await registry.startAll();
    install(tree, 'vault', 'floe.secrets', 'vault', '2.0.0');
    const gate = deferred();
    let began = false;
    hooks.__hooks['floe.secrets:vault@2.0.0'] = { startup: () => ((began = true), gate.promise) };
    const refreshing = registry.refresh();
    await until(() => began);
    const stopping = registry.shutdownAll();
    gate.resolve();
    await stopping;
    const report = brief(await refreshing);
    expect(report).toMatchObject({ ok: false, updated: ['floe.secrets:vault'], restarted: [] });
    expect(report.failed).toEqual([
      ['floe.secrets:vault', 'PLUGIN_START_CANCELLED'],
      ['floe.catalogs:lake', 'PLUGIN_START_CANCELLED'],
    ]);
    expect(registry.info(PluginType.Catalog, 'lake').state).not.toBe('active');
  });
});
