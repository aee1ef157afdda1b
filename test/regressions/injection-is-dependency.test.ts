import { inject, named, optional } from 'inversify';
import {
  CircularDependencyError,
  createSilentLogger,
  FloePlugin,
  MissingDependencyError,
  PluginMetadata,
  PluginRegistry,
  type PluginStartupError,
  PluginType,
} from '../../src';
import { rejection } from '../support/caught';
import { deferred } from '../support/lifecycle-fixtures';

const { Compute, Catalog, Secrets } = PluginType;
const meta = { version: '1.0.0', apiVersion: '1.0' };

/** Records the order of startups and shutdowns across plugin classes. */
const events: string[] = [];

class Recorded extends PluginMetadata {
  override startup() {
    events.push(`start:${this.name}`);
  }
  override shutdown() {
    events.push(`stop:${this.name}`);
  }
}

@FloePlugin({ ...meta, type: Secrets, name: 'vault' })
class Vault extends Recorded {}

@FloePlugin({ ...meta, type: Catalog, name: 'polaris' })
class Polaris extends Recorded {
  constructor(@inject(Secrets) @named('vault') readonly secrets: Vault) {
    super();
  }
}

@FloePlugin({ ...meta, type: Compute, name: 'duckdb' })
class DuckDB extends Recorded {
  constructor(@inject(Catalog) readonly catalog: Polaris) {
    super();
  }
}

function registry(...classes: (abstract new (...args: never[]) => unknown)[]): PluginRegistry {
  const r = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
  for (const cls of classes) r.register(cls);
  return r;
}

beforeEach(() => {
  events.length = 0;
});

describe('a plugin that injects another plugin depends on it', () => {
  it('orders, starts and stops through injection edges, named and bare', async () => {
    const r = registry(DuckDB, Polaris, Vault);
    expect((await r.resolveDependencies()).map((info) => info.key)).toEqual([
      'floe.secrets:vault',
      'floe.catalogs:polaris',
      'floe.computes:duckdb',
    ]);
    const report = await r.startAll();
    expect(report.started).toEqual(['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb']);
    const duckdb = await r.get<DuckDB>(Compute, 'duckdb');
    expect(duckdb.catalog).toBe(await r.get(Catalog, 'polaris'));
    await r.shutdownAll();
    expect(events).toEqual([
      'start:vault',
      'start:polaris',
      'start:duckdb',
      'stop:duckdb',
      'stop:polaris',
      'stop:vault',
    ]);
  });

  it('shows injected plugins as dependencies in describe', async () => {
    const r = registry(DuckDB, Polaris, Vault);
    await r.load(Compute, 'duckdb');
    expect(r.describe(Compute, 'duckdb').dependencies).toEqual(['floe.catalogs:polaris']);
  });

  it('turns an injection cycle into a CircularDependencyError naming the path, never a hang', async () => {
    @FloePlugin({ ...meta, type: Secrets, name: 'a', dependsOn: ['floe.catalogs:b'] })
    class A extends PluginMetadata {}
    @FloePlugin({ ...meta, type: Catalog, name: 'b' })
    class B extends PluginMetadata {
      constructor(@inject(Secrets) @named('a') readonly a: A) {
        super();
      }
    }
    const r = registry(A, B);
    const error = await rejection<CircularDependencyError>(r.get(Catalog, 'b'));
    expect(error).toBeInstanceOf(CircularDependencyError);
    expect(error.cycle).toEqual(['floe.catalogs:b', 'floe.secrets:a', 'floe.catalogs:b']);
    expect((await rejection(r.startAll())).code).toBe('DEPENDENCY_CYCLE');
    expect(r.info(Catalog, 'b').state).toBe('loaded');
  });

  it('refuses a plugin whose bare @inject(type) would be itself', async () => {
    @FloePlugin({ ...meta, type: Compute, name: 'selfish' })
    class Selfish extends PluginMetadata {
      constructor(@inject(Compute) readonly compute: unknown) {
        super();
      }
    }
    const error = await rejection<CircularDependencyError>(registry(Selfish).get(Compute, 'selfish'));
    expect(error.cycle).toEqual(['floe.computes:selfish', 'floe.computes:selfish']);
  });

  it('reports an injected plugin that is not installed as a missing dependency', async () => {
    const r = registry(Polaris);
    const error = await rejection<MissingDependencyError>(r.get(Catalog, 'polaris'));
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error.pluginKey).toBe('floe.catalogs:polaris');
    expect(error.missing).toEqual(["@inject(floe.secrets) @named('vault')"]);
  });

  it('lets an optional injection of a missing plugin through, with no edge', async () => {
    @FloePlugin({ ...meta, type: Compute, name: 'tolerant' })
    class Tolerant extends PluginMetadata {
      constructor(@inject(Secrets) @named('vault') @optional() readonly secrets: unknown) {
        super();
      }
    }
    const r = registry(Tolerant);
    const tolerant = await r.get<Tolerant>(Compute, 'tolerant');
    expect(tolerant.secrets).toBeUndefined();
  });

  it('counts construction against the startup timeout', async () => {
    const slow = deferred<string>();
    @FloePlugin({ ...meta, type: Compute, name: 'slow-to-build' })
    class SlowToBuild extends PluginMetadata {
      constructor(@inject('slow') readonly service: string) {
        super();
      }
    }
    const r = new PluginRegistry({
      rootDir: '/nonexistent',
      logger: createSilentLogger(),
      timeouts: { startupMs: 30 },
    });
    r.container.bind('slow').toDynamicValue(() => slow.promise);
    r.register(SlowToBuild);
    const error = await rejection<PluginStartupError>(r.get(Compute, 'slow-to-build'));
    expect(error.code).toBe('PLUGIN_STARTUP_FAILED');
    expect(error.cause).toMatchObject({ code: 'PLUGIN_TIMEOUT', phase: 'startup', timeoutMs: 30 });
    slow.resolve('late');
  });
});
