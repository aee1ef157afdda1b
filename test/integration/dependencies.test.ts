import { inject } from 'inversify';
import {
  type AmbiguousPluginError,
  type CircularDependencyError,
  createSilentLogger,
  FloePlugin,
  type MissingDependencyError,
  PluginMetadata,
  PluginRegistry,
  PluginType,
} from '../../src';
import { Journal } from '../support/lifecycle-fixtures';
import { rejection } from '../support/caught';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';

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

// A call that finds nothing changed since the last one answers from what that one kept (the order, the
// views): these pin that the answer is still a fresh array and still tells what changed in the meantime.
describe('dependency order asked for again', () => {
  it('hands each caller an array of its own', async () => {
    const { registry } = setup([
      [Storage, 's3'],
      [Compute, 'spark', ['floe.storage:s3']],
    ]);
    const first = await registry.resolveDependencies();
    first.reverse();
    const second = await registry.resolveDependencies();
    expect(second.map((info) => info.key)).toEqual(['floe.storage:s3', 'floe.computes:spark']);
    expect(second.map((info) => info.dependsOn)).toEqual([[], ['floe.storage:s3']]);
    expect(second).not.toBe(first);
    second.length = 0;
    expect(await order(registry)).toEqual(['floe.storage:s3', 'floe.computes:spark']);
  });

  it('shows the states plugins are in now, after a start, a stop and changes in another registry', async () => {
    const { registry } = setup([
      [Storage, 's3'],
      [Compute, 'spark', ['floe.storage:s3']],
    ]);
    const states = async (of = registry) => (await of.resolveDependencies()).map((info) => info.state);
    expect(await states()).toEqual(['loaded', 'loaded']);
    await registry.startAll();
    expect(await states()).toEqual(['active', 'active']);
    // Another registry's changes count too (views are dropped by any plugin's change): this one's answer stays.
    const other = setup([[Identity, 'oidc']]).registry;
    await other.startAll();
    expect(await states(other)).toEqual(['active']);
    expect(await states()).toEqual(['active', 'active']);
    await registry.shutdownAll();
    expect(await states()).toEqual(['stopped', 'stopped']);
    await other.shutdownAll();
  });

  it('shows what a plugin discovered in a package declares once its class is imported', async () => {
    const tree = PackageTree.create();
    try {
      tree.project({});
      tree.package('s3', floeField(['floe.storage', 's3', './index.js#s3Plugin']), {
        'index.js': pluginModule({ type: Storage, name: 's3', version: '2.3.4' }),
      });
      const registry = new PluginRegistry({ rootDir: tree.root, logger: createSilentLogger() });
      registry.discoverAll();
      const before = registry.list(Storage);
      expect(before.map((info) => [info.state, info.version])).toEqual([['discovered', undefined]]);
      const resolved = await registry.resolveDependencies();
      expect(resolved.map((info) => [info.key, info.state, info.version])).toEqual([
        ['floe.storage:s3', 'loaded', '2.3.4'],
      ]);
      expect((await registry.resolveDependencies())[0]).toBe(resolved[0]);
    } finally {
      tree.remove();
    }
  });
});

// A registration after an order was worked out forgets only the resolutions it can change: these pin
// each kind it can, and that the rest still follow the new plugin into the order.
describe('dependency order after a later registration', () => {
  it('places a new plugin among the known ones by key', async () => {
    const { registry, journal } = setup([
      [Storage, 's3'],
      [Compute, 'spark', ['floe.storage:s3']],
    ]);
    expect(await order(registry)).toEqual(['floe.storage:s3', 'floe.computes:spark']);
    registry.register(journal.plugin(Catalog, 'polaris'));
    registry.register(journal.plugin(Compute, 'duckdb'));
    registry.register(journal.plugin(Identity, 'oidc'));
    expect(await order(registry)).toEqual([
      'floe.catalogs:polaris',
      'floe.computes:duckdb',
      'floe.identity:oidc',
      'floe.storage:s3',
      'floe.computes:spark',
    ]);
  });

  it('finds a dependency that was missing once its plugin is registered, by key or by bare name', async () => {
    const { registry, journal } = setup([
      [Compute, 'duckdb', ['vault', 'floe.catalogs:polaris']],
      [Storage, 's3'],
    ]);
    expect((await rejection<MissingDependencyError>(registry.resolveDependencies())).missing).toEqual([
      'vault',
      'floe.catalogs:polaris',
    ]);
    registry.register(journal.plugin(Secrets, 'vault'));
    expect((await rejection<MissingDependencyError>(registry.resolveDependencies())).missing).toEqual([
      'floe.catalogs:polaris',
    ]);
    registry.register(journal.plugin(Catalog, 'polaris'));
    expect(await order(registry, ['floe.computes:duckdb'])).toEqual([
      'floe.catalogs:polaris',
      'floe.secrets:vault',
      'floe.computes:duckdb',
    ]);
  });

  it('refuses a bare name that a new plugin of another type makes ambiguous', async () => {
    const { registry, journal } = setup([
      [Compute, 'duckdb', ['vault']],
      [Secrets, 'vault'],
    ]);
    expect(await order(registry)).toEqual(['floe.secrets:vault', 'floe.computes:duckdb']);
    registry.register(journal.plugin(Identity, 'vault'));
    const error = await rejection<AmbiguousPluginError>(registry.resolveDependencies());
    expect(error.code).toBe('PLUGIN_AMBIGUOUS');
    expect(error.candidates).toEqual(['floe.identity:vault', 'floe.secrets:vault']);
  });

  it('refuses a bare @inject(type) that a second plugin of the type makes ambiguous', async () => {
    const { registry, journal } = setup([[Secrets, 'vault']]);
    @FloePlugin({ type: Compute, name: 'duckdb', version: '1.0.0', apiVersion: '1.0' })
    class DuckDb extends PluginMetadata {
      constructor(@inject(Secrets) readonly secrets: unknown) {
        super();
      }
    }
    registry.register(DuckDb);
    expect(await order(registry)).toEqual(['floe.secrets:vault', 'floe.computes:duckdb']);
    registry.register(journal.plugin(Secrets, 'infisical'));
    const error = await rejection<AmbiguousPluginError>(registry.resolveDependencies());
    expect(error.code).toBe('PLUGIN_AMBIGUOUS');
    expect(error.candidates).toEqual(['floe.secrets:infisical', 'floe.secrets:vault']);
    registry.setDefault(Secrets, 'infisical');
    expect(await order(registry)).toEqual(['floe.secrets:infisical', 'floe.computes:duckdb', 'floe.secrets:vault']);
  });

  it('includes a dependency registered while the plugins to order were being imported', async () => {
    const tree = PackageTree.create();
    try {
      tree.project({});
      tree.package('duck', floeField(['floe.computes', 'duckdb', './index.js#duckdbPlugin']), {
        'index.js': pluginModule({ type: Compute, name: 'duckdb', dependsOn: ['floe.secrets:vault'] }),
      });
      const registry = new PluginRegistry({ rootDir: tree.root, logger: createSilentLogger() });
      registry.discoverAll();
      const pending = registry.resolveDependencies();
      registry.register(new Journal().plugin(Secrets, 'vault'));
      expect((await pending).map((info) => info.key)).toEqual(['floe.secrets:vault', 'floe.computes:duckdb']);
    } finally {
      tree.remove();
    }
  });

  it('resolves again what a default changed while plugins were being imported', async () => {
    const tree = PackageTree.create();
    try {
      tree.project({});
      tree.package('infisical', floeField(['floe.secrets', 'infisical', './index.js#infisicalPlugin']), {
        'index.js': pluginModule({ type: Secrets, name: 'infisical' }),
      });
      const registry = new PluginRegistry({
        rootDir: tree.root,
        logger: createSilentLogger(),
        defaults: { [Secrets]: 'vault' },
      });
      registry.discoverAll();
      registry.register(new Journal().plugin(Secrets, 'vault'));
      @FloePlugin({ type: Compute, name: 'a', version: '1.0.0', apiVersion: '1.0' })
      class A extends PluginMetadata {
        constructor(@inject(Secrets) readonly secrets: unknown) {
          super();
        }
      }
      registry.register(A);
      const pending = registry.resolveDependencies();
      registry.setDefault(Secrets, 'infisical');
      expect((await pending).map((info) => info.key)).toEqual([
        'floe.secrets:infisical',
        'floe.computes:a',
        'floe.secrets:vault',
      ]);
    } finally {
      tree.remove();
    }
  });
});
