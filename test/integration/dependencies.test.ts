import {
  type AmbiguousPluginError,
  type CircularDependencyError,
  createSilentLogger,
  type MissingDependencyError,
  PluginRegistry,
  PluginType,
} from '../../src';
import { Journal } from '../support/lifecycle-fixtures';
import { rejection } from '../support/caught';

const { Compute, Catalog, Secrets, Storage, Identity } = PluginType;

function setup(plugins: [PluginType, string, string[]?][]): { registry: PluginRegistry; journal: Journal } {
  const journal = new Journal();
  const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
  for (const [type, name, dependsOn] of plugins)
    registry.register(journal.plugin(type, name, { dependsOn: dependsOn ?? [] }));
  return { registry, journal };
}

async function order(registry: PluginRegistry, keys?: string[]): Promise<string[]> {
  return (await registry.resolveDependencies(keys)).map((info) => info.key);
}

describe('dependency order', () => {
  it('puts a chain in order, dependencies first', async () => {
    const { registry } = setup([
      [Compute, 'duckdb', ['floe.catalogs:polaris']],
      [Catalog, 'polaris', ['floe.secrets:vault']],
      [Secrets, 'vault'],
    ]);
    expect(await order(registry)).toEqual(['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb']);
  });

  it('orders a diamond and breaks ties by key', async () => {
    const { registry } = setup([
      [Compute, 'top', ['floe.storage:left', 'floe.catalogs:right']],
      [Storage, 'left', ['floe.secrets:base']],
      [Catalog, 'right', ['floe.secrets:base']],
      [Secrets, 'base'],
    ]);
    expect(await order(registry)).toEqual([
      'floe.secrets:base',
      'floe.catalogs:right',
      'floe.storage:left',
      'floe.computes:top',
    ]);
  });

  it('orders unrelated plugins by key, the same way on every run', async () => {
    const plugins: [PluginType, string][] = [
      [Storage, 's3'],
      [Compute, 'spark'],
      [Compute, 'duckdb'],
      [Identity, 'oidc'],
    ];
    const first = await order(setup(plugins).registry);
    expect(first).toEqual(['floe.computes:duckdb', 'floe.computes:spark', 'floe.identity:oidc', 'floe.storage:s3']);
    expect(await order(setup([...plugins].reverse()).registry)).toEqual(first);
  });

  it('resolves bare names across types', async () => {
    const { registry } = setup([
      [Compute, 'duckdb', ['vault', 'polaris']],
      [Catalog, 'polaris', ['vault']],
      [Secrets, 'vault'],
    ]);
    expect(await order(registry)).toEqual(['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb']);
    expect((await registry.resolveDependencies(['floe.computes:duckdb'])).map((i) => i.key)).toHaveLength(3);
  });

  it('refuses a bare name that matches several plugins, naming them', async () => {
    const { registry } = setup([
      [Compute, 'duckdb', ['vault']],
      [Secrets, 'vault'],
      [Identity, 'vault'],
    ]);
    const error = await rejection<AmbiguousPluginError>(registry.resolveDependencies());
    expect(error.code).toBe('PLUGIN_AMBIGUOUS');
    expect(error.candidates).toEqual(['floe.identity:vault', 'floe.secrets:vault']);
    expect(error.message).toContain('floe.computes:duckdb');
  });

  it('accepts a key where a bare name would be ambiguous', async () => {
    const { registry } = setup([
      [Compute, 'duckdb', ['floe.secrets:vault']],
      [Secrets, 'vault'],
      [Identity, 'vault'],
    ]);
    expect(await order(registry, ['floe.computes:duckdb'])).toEqual(['floe.secrets:vault', 'floe.computes:duckdb']);
  });

  it('reports a cycle as a closed path of only its members', async () => {
    const { registry } = setup([
      [Compute, 'a', ['floe.catalogs:b']],
      [Catalog, 'b', ['floe.storage:c']],
      [Storage, 'c', ['floe.computes:a']],
      [Secrets, 'outside', ['floe.computes:a']],
    ]);
    const error = await rejection<CircularDependencyError>(registry.resolveDependencies());
    expect(error.code).toBe('DEPENDENCY_CYCLE');
    expect(error.cycle).toEqual(['floe.catalogs:b', 'floe.storage:c', 'floe.computes:a', 'floe.catalogs:b']);
    expect(error.message).toContain(
      'Circular dependency: floe.catalogs:b -> floe.storage:c -> floe.computes:a -> floe.catalogs:b',
    );
  });

  it('reports a plugin that depends on itself as a -> a', async () => {
    const { registry } = setup([[Compute, 'selfish', ['selfish']]]);
    const error = await rejection<CircularDependencyError>(registry.resolveDependencies());
    expect(error.cycle).toEqual(['floe.computes:selfish', 'floe.computes:selfish']);
  });

  it('names the plugin and every missing entry as declared', async () => {
    const { registry } = setup([
      [Compute, 'duckdb', ['vault', 'floe.catalogs:polaris', 'floe.storage:s3']],
      [Storage, 's3'],
    ]);
    const error = await rejection<MissingDependencyError>(registry.resolveDependencies());
    expect(error).toMatchObject({
      code: 'DEPENDENCY_MISSING',
      pluginKey: 'floe.computes:duckdb',
      missing: ['vault', 'floe.catalogs:polaris'],
    });
  });

  it('refuses cycles and missing dependencies in startAll before anything starts', async () => {
    const cyclic = setup([
      [Compute, 'a', ['b']],
      [Catalog, 'b', ['a']],
      [Storage, 'fine'],
    ]);
    expect((await rejection(cyclic.registry.startAll())).code).toBe('DEPENDENCY_CYCLE');
    const missing = setup([
      [Compute, 'a', ['nowhere']],
      [Storage, 'fine'],
    ]);
    expect((await rejection(missing.registry.startAll())).code).toBe('DEPENDENCY_MISSING');
    expect([...cyclic.journal.events, ...missing.journal.events]).toEqual([]);
  });

  it('fails get of a plugin with a missing dependency without starting anything', async () => {
    const { registry, journal } = setup([
      [Compute, 'duckdb', ['vault']],
      [Catalog, 'fine'],
    ]);
    expect((await rejection(registry.get(Compute, 'duckdb'))).code).toBe('DEPENDENCY_MISSING');
    expect(journal.events).toEqual([]);
  });

  it('refuses an unknown key', async () => {
    const { registry } = setup([[Compute, 'duckdb']]);
    expect((await rejection(registry.resolveDependencies(['floe.computes:nope']))).code).toBe('PLUGIN_NOT_FOUND');
    expect((await rejection(registry.resolveDependencies(['duckdb']))).code).toBe('UNKNOWN_PLUGIN_TYPE');
  });
});
