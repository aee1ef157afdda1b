import { Container, inject, injectable, named } from 'inversify';
import {
  ComputePlugin,
  createSilentLogger,
  FloePlugin,
  getRegistry,
  PluginMetadata,
  PluginRegistry,
  PluginType,
  resetRegistry,
  SecretsPlugin,
  type ConnectionResult,
} from '../../src';
import { rejection, thrown } from '../support/caught';

const logger = createSilentLogger();
const meta = { version: '1.0.0', apiVersion: '1.0' };

abstract class TestCompute extends ComputePlugin {
  static constructed = 0;
  started = 0;
  stopped = 0;
  constructor() {
    super();
    TestCompute.constructed++;
  }
  get isSelfHosted() {
    return true;
  }
  generateDbtProfile() {
    return { type: this.name };
  }
  getRequiredDbtPackages() {
    return [];
  }
  validateConnection(): ConnectionResult {
    return { status: 'healthy', latencyMs: 0, message: '', warnings: [] } as ConnectionResult;
  }
  getResourceRequirements() {
    return { cpuRequest: '1', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' };
  }
  override startup() {
    this.started++;
  }
  override shutdown() {
    this.stopped++;
  }
}

@FloePlugin({ ...meta, type: PluginType.Compute, name: 'duckdb' })
class DuckDB extends TestCompute {}

@FloePlugin({ ...meta, type: PluginType.Compute, name: 'spark' })
class Spark extends TestCompute {}

@FloePlugin({ ...meta, type: PluginType.Secrets, name: 'vault', version: '2.1.0' })
class Vault extends SecretsPlugin {
  getSecret(key: string) {
    return `secret:${key}`;
  }
  setSecret() {}
  listSecrets() {
    return [];
  }
}

@injectable()
class Reports {
  constructor(
    @inject(PluginType.Compute) @named('duckdb') readonly compute: ComputePlugin,
    @inject(PluginType.Secrets) readonly secrets: SecretsPlugin,
  ) {}
}

@injectable()
class DefaultCompute {
  constructor(@inject(PluginType.Compute) readonly compute: ComputePlugin) {}
}

function newRegistry(options: ConstructorParameters<typeof PluginRegistry>[0] = {}): PluginRegistry {
  return new PluginRegistry({ rootDir: '/nonexistent', logger, ...options });
}

describe('PluginRegistry with registered plugins', () => {
  it('registers a class and describes it', () => {
    const registry = newRegistry();
    expect(registry.register(Vault)).toEqual({
      key: 'floe.secrets:vault',
      type: PluginType.Secrets,
      name: 'vault',
      state: 'loaded',
      source: 'registered',
      version: '2.1.0',
      apiVersion: '1.0',
      dependsOn: [],
    });
    expect(registry.info(PluginType.Secrets, 'vault').state).toBe('loaded');
  });

  it('refuses a duplicate key, an undecorated class and an incompatible one', () => {
    const registry = newRegistry({ apiVersion: '1.0' });
    registry.register(Vault);
    const duplicate = thrown(() => registry.register(Vault));
    expect(duplicate).toMatchObject({ code: 'PLUGIN_DUPLICATE', pluginType: PluginType.Secrets, pluginName: 'vault' });
    class Plain extends PluginMetadata {}
    expect(thrown(() => registry.register(Plain)).code).toBe('PLUGIN_INVALID');
    @FloePlugin({ ...meta, type: PluginType.DBT, name: 'future', apiVersion: '1.4' })
    class Future extends PluginMetadata {}
    expect(thrown(() => registry.register(Future))).toMatchObject({
      code: 'PLUGIN_INCOMPATIBLE',
      pluginName: 'future',
      requiredVersion: '1.4',
      platformVersion: '1.0',
    });
    expect(registry.listAll()[PluginType.DBT]).toEqual([]);
    expect(registry.container.isBound(PluginType.DBT, { name: 'future' })).toBe(false);
  });

  it('lists plugins by type sorted by name, and every type in listAll', () => {
    const registry = newRegistry();
    registry.register(Spark);
    registry.register(DuckDB);
    registry.register(Vault);
    expect(registry.list(PluginType.Compute).map((info) => info.name)).toEqual(['duckdb', 'spark']);
    const all = registry.listAll();
    expect(Object.keys(all)).toHaveLength(11);
    expect(all[PluginType.Compute]).toEqual(['duckdb', 'spark']);
    expect(all[PluginType.Secrets]).toEqual(['vault']);
    expect(all[PluginType.Catalog]).toEqual([]);
  });

  it('returns one live instance, started once', async () => {
    const registry = newRegistry();
    registry.register(DuckDB);
    const [a, b] = await Promise.all([
      registry.get<DuckDB>(PluginType.Compute, 'duckdb'),
      registry.get<DuckDB>(PluginType.Compute, 'duckdb'),
    ]);
    expect(a).toBe(b);
    expect(a).toBeInstanceOf(DuckDB);
    expect(await registry.get(PluginType.Compute, 'duckdb')).toBe(a);
    expect(a.started).toBe(1);
    expect(registry.info(PluginType.Compute, 'duckdb').state).toBe('active');
  });

  it('names the type, the name and the known plugins when a plugin is missing', async () => {
    const registry = newRegistry();
    registry.register(DuckDB);
    const error = await rejection(registry.get(PluginType.Compute, 'snowflake'));
    expect(error).toMatchObject({ code: 'PLUGIN_NOT_FOUND', pluginType: PluginType.Compute, pluginName: 'snowflake' });
    expect(error.message).toContain('duckdb');
    expect(thrown(() => registry.info(PluginType.Compute, 'snowflake')).code).toBe('PLUGIN_NOT_FOUND');
  });

  it('injects plugins into services by name and by type', async () => {
    const registry = newRegistry();
    registry.register(DuckDB);
    registry.register(Vault);
    registry.container.bind(Reports).toSelf();
    const reports = await registry.container.getAsync(Reports);
    expect(reports.compute).toBe(await registry.get(PluginType.Compute, 'duckdb'));
    expect(reports.secrets).toBe(await registry.get(PluginType.Secrets, 'vault'));
    expect(await reports.secrets.getSecret('db')).toBe('secret:db');
  });

  it('resolves a service synchronously once its plugins are live, and not before', async () => {
    const registry = newRegistry();
    registry.register(DuckDB);
    registry.register(Vault);
    registry.container.bind(Reports).toSelf();
    expect(thrown(() => registry.container.get(Reports)).code).toBe('PLUGIN_NOT_LIVE');
    await registry.startAll();
    expect(registry.container.get(Reports).compute).toBe(await registry.get(PluginType.Compute, 'duckdb'));
  });

  it('gives a bare @inject(type) the only plugin of that type', async () => {
    const registry = newRegistry();
    registry.register(Spark);
    registry.container.bind(DefaultCompute).toSelf();
    expect((await registry.container.getAsync(DefaultCompute)).compute).toBeInstanceOf(Spark);
  });

  it('refuses a bare @inject(type) with several plugins and no default, naming them', async () => {
    const registry = newRegistry();
    registry.register(DuckDB);
    registry.register(Spark);
    registry.container.bind(DefaultCompute).toSelf();
    const error = await rejection(registry.container.getAsync(DefaultCompute));
    expect(error.code).toBe('PLUGIN_AMBIGUOUS');
    expect(error.message).toContain('floe.computes:duckdb');
    expect(error.message).toContain('floe.computes:spark');
  });

  it('gives a bare @inject(type) the default named in the options', async () => {
    const registry = newRegistry({ defaults: { [PluginType.Compute]: 'spark' } });
    registry.register(DuckDB);
    registry.register(Spark);
    registry.container.bind(DefaultCompute).toSelf();
    expect((await registry.container.getAsync(DefaultCompute)).compute).toBeInstanceOf(Spark);
  });

  it('fails clearly when the configured default is not installed', async () => {
    const registry = newRegistry({ defaults: { [PluginType.Compute]: 'snowflake' } });
    registry.register(DuckDB);
    registry.container.bind(DefaultCompute).toSelf();
    expect((await rejection(registry.container.getAsync(DefaultCompute))).code).toBe('PLUGIN_NOT_FOUND');
  });

  it('refuses bad options', () => {
    expect(thrown(() => newRegistry({ timeouts: { startupMs: -1 } })).code).toBe('REGISTRY_OPTIONS_INVALID');
    expect(thrown(() => newRegistry({ defaults: { 'floe.nope': 'x' } as never })).code).toBe(
      'REGISTRY_OPTIONS_INVALID',
    );
    expect(thrown(() => newRegistry({ apiVersion: 'one' })).code).toBe('VERSION_INVALID');
  });
});

describe('the container', () => {
  it('is made on first use, holding the plugins known before and binding those added after', async () => {
    const registry = newRegistry();
    registry.register(DuckDB);
    registry.register(Spark);
    const container = registry.container;
    expect(registry.container).toBe(container);
    expect(container.isBound(PluginType.Compute, { name: 'duckdb' })).toBe(true);
    expect(container.isBound(PluginType.Compute, { name: 'spark' })).toBe(true);
    registry.register(Vault);
    expect(container.isBound(PluginType.Secrets, { name: 'vault' })).toBe(true);
    // One default binding per type: a second would make Inversify refuse the bare @inject itself,
    // instead of floe naming the candidates.
    container.bind(DefaultCompute).toSelf();
    const error = await rejection(container.getAsync(DefaultCompute));
    expect(error.code).toBe('PLUGIN_AMBIGUOUS');
    expect(error.message).toContain('floe.computes:spark');
    container.bind(Reports).toSelf();
    expect((await container.getAsync(Reports)).secrets).toBe(await registry.get(PluginType.Secrets, 'vault'));
  });

  it('binds at once into a container given in the options', async () => {
    const container = new Container();
    const registry = newRegistry({ container });
    registry.register(Vault);
    expect(container.isBound(PluginType.Secrets, { name: 'vault' })).toBe(true);
    expect(registry.container).toBe(container);
    expect(thrown(() => container.get(PluginType.Secrets, { name: 'vault' })).code).toBe('PLUGIN_NOT_LIVE');
    const vault = await container.getAsync<Vault>(PluginType.Secrets, { name: 'vault' });
    expect(vault).toBe(await registry.get(PluginType.Secrets, 'vault'));
  });
});

describe('a failed startup', () => {
  it('rejects with PluginStartupError keeping the cause, then retries with a fresh instance', async () => {
    let failures = 1;
    @FloePlugin({ ...meta, type: PluginType.Compute, name: 'flaky' })
    class Flaky extends TestCompute {
      override startup() {
        if (failures-- > 0) throw new Error('not yet');
        super.startup();
      }
    }
    const registry = newRegistry();
    registry.register(Flaky);
    const before = TestCompute.constructed;
    const error = await rejection(registry.get(PluginType.Compute, 'flaky'));
    expect(error).toMatchObject({ code: 'PLUGIN_STARTUP_FAILED', pluginKey: 'floe.computes:flaky' });
    expect((error.cause as Error).message).toBe('not yet');
    expect(registry.info(PluginType.Compute, 'flaky').state).toBe('failed');
    const plugin = await registry.get<Flaky>(PluginType.Compute, 'flaky');
    expect(plugin.started).toBe(1);
    expect(TestCompute.constructed - before).toBe(2);
    expect(registry.info(PluginType.Compute, 'flaky').state).toBe('active');
  });

  it('wraps a throwing constructor in PluginStartupError', async () => {
    @FloePlugin({ ...meta, type: PluginType.Compute, name: 'ctor' })
    class Ctor extends TestCompute {
      constructor() {
        super();
        throw new Error('constructor failed');
      }
    }
    const registry = newRegistry();
    registry.register(Ctor);
    const error = await rejection(registry.get(PluginType.Compute, 'ctor'));
    expect(error.code).toBe('PLUGIN_STARTUP_FAILED');
    expect((error.cause as Error).message).toBe('constructor failed');
  });
});

describe('snapshot and restore', () => {
  it('removes plugins added since the snapshot, stopping those that started', async () => {
    const registry = newRegistry();
    registry.register(Vault);
    registry.snapshot();
    registry.register(DuckDB);
    const duckdb = await registry.get<DuckDB>(PluginType.Compute, 'duckdb');
    await registry.restore();
    expect(duckdb.stopped).toBe(1);
    expect(registry.listAll()[PluginType.Compute]).toEqual([]);
    expect(registry.container.isBound(PluginType.Compute, { name: 'duckdb' })).toBe(false);
    expect((await rejection(registry.get(PluginType.Compute, 'duckdb'))).code).toBe('PLUGIN_NOT_FOUND');
    registry.register(DuckDB);
    expect((await registry.get<DuckDB>(PluginType.Compute, 'duckdb')) === duckdb).toBe(false);
  });

  it('keeps plugins that were live at the snapshot live, and stacks snapshots', async () => {
    const registry = newRegistry();
    registry.register(Vault);
    const vault = await registry.get(PluginType.Secrets, 'vault');
    registry.snapshot();
    registry.register(DuckDB);
    registry.snapshot();
    registry.register(Spark);
    await registry.startAll();
    await registry.restore();
    expect(registry.listAll()[PluginType.Compute]).toEqual(['duckdb']);
    // It ran since the snapshot and the restore stopped it.
    expect(registry.info(PluginType.Compute, 'duckdb').state).toBe('stopped');
    await registry.restore();
    expect(registry.listAll()[PluginType.Compute]).toEqual([]);
    expect(await registry.get(PluginType.Secrets, 'vault')).toBe(vault);
    expect((await rejection(registry.restore())).code).toBe('NO_SNAPSHOT');
  });

  it('restores its own snapshot even when other code took container snapshots in between', async () => {
    const registry = newRegistry();
    registry.register(Vault);
    registry.snapshot();
    registry.container.snapshot(); // someone else's, never restored
    registry.register(DuckDB);
    registry.container.bind('late-service').toConstantValue(1);
    registry.container.snapshot(); // and another
    await registry.get(PluginType.Compute, 'duckdb');
    await registry.restore();
    expect(registry.listAll()[PluginType.Compute]).toEqual([]);
    expect(registry.container.isBound(PluginType.Compute, { name: 'duckdb' })).toBe(false);
    expect(registry.container.isBound('late-service')).toBe(false);
    expect(registry.container.isBound(PluginType.Secrets, { name: 'vault' })).toBe(true);
    expect(await registry.get(PluginType.Secrets, 'vault')).toBeInstanceOf(Vault);
  });

  it('leaves the container alone when other code already restored past its snapshot', async () => {
    const registry = newRegistry();
    registry.container.bind('before').toConstantValue(1);
    registry.snapshot();
    registry.register(DuckDB);
    registry.container.restore(); // undoes the registry's container snapshot behind its back
    registry.container.bind('after').toConstantValue(2);
    await registry.restore();
    expect(registry.container.isBound('before')).toBe(true);
    expect(registry.container.isBound('after')).toBe(true);
    expect(registry.listAll()[PluginType.Compute]).toEqual([]);
  });

  it('brings back a plugin stopped since the snapshot as stopped, and starts it fresh', async () => {
    const registry = newRegistry();
    registry.register(DuckDB);
    const first = await registry.get<DuckDB>(PluginType.Compute, 'duckdb');
    registry.snapshot();
    await registry.shutdownAll();
    await registry.restore();
    expect(registry.info(PluginType.Compute, 'duckdb').state).toBe('stopped');
    const second = await registry.get<DuckDB>(PluginType.Compute, 'duckdb');
    expect(second).not.toBe(first);
    expect(first.stopped).toBe(1);
  });
});

describe('the shared registry', () => {
  afterEach(() => resetRegistry());

  it('is created and discovered once, and refuses later options', () => {
    const first = getRegistry({ rootDir: '/nonexistent', logger });
    expect(getRegistry()).toBe(first);
    expect(thrown(() => getRegistry({ rootDir: '/elsewhere' })).code).toBe('REGISTRY_EXISTS');
  });

  it('shuts the shared registry down on reset and builds a new one next time', async () => {
    const first = getRegistry({ rootDir: '/nonexistent', logger });
    first.register(DuckDB);
    const duckdb = await first.get<DuckDB>(PluginType.Compute, 'duckdb');
    await resetRegistry();
    expect(duckdb.stopped).toBe(1);
    expect(getRegistry({ rootDir: '/nonexistent', logger })).not.toBe(first);
  });
});
