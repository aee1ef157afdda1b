import {
  createSilentLogger,
  PluginConfigurationError,
  PluginError,
  PluginRegistry,
  PluginType,
  type ConfigIssue,
} from '../../src';
import { DuckDBConfig, DuckDBPlugin, MotherDuckPlugin, PlainPlugin, TokenPlugin } from '../support/config-fixtures';
import { floeField, loadCount, PackageTree, pluginModule } from '../support/package-tree';
import { rejection } from '../support/caught';

const logger = createSilentLogger();

function registry(): PluginRegistry {
  const r = new PluginRegistry({ rootDir: '/nonexistent', logger });
  for (const cls of [DuckDBPlugin, MotherDuckPlugin, TokenPlugin, PlainPlugin]) r.register(cls);
  return r;
}

async function configError(promise: Promise<unknown>): Promise<PluginConfigurationError> {
  const error = await rejection<PluginConfigurationError>(promise);
  expect(error).toBeInstanceOf(PluginConfigurationError);
  return error;
}

const issues = (error: PluginConfigurationError) => error.errors.map((e: ConfigIssue) => [e.path, e.constraint]);

describe('configure', () => {
  it('fills in defaults at the top level, in nested objects, and for keys given as undefined', async () => {
    const r = registry();
    const config = (await r.configure(PluginType.Compute, 'duckdb', {
      threads: undefined,
      connection: { port: 6543 },
      replicas: [{ host: 'r1' }],
    })) as DuckDBConfig;
    expect(config).toBeInstanceOf(DuckDBConfig);
    expect(config.threads).toBe(4);
    expect(config.path).toBe(':memory:');
    expect(config.connection).toEqual({ host: 'localhost', port: 6543 });
    expect(config.replicas).toEqual([{ host: 'r1', port: 5433 }]);
    expect(r.getConfig(PluginType.Compute, 'duckdb')).toBe(config);
  });

  it('names nested and array fields by path with the rule that failed', async () => {
    const error = await configError(
      registry().configure(PluginType.Compute, 'duckdb', {
        connection: { port: 'x' },
        replicas: [{ port: 1 }, { port: 70000 }],
      }),
    );
    expect(error.code).toBe('PLUGIN_CONFIG_INVALID');
    expect(error.pluginName).toBe('duckdb');
    expect(error.pluginKey).toBe('floe.computes:duckdb');
    expect(issues(error)).toEqual(
      expect.arrayContaining([
        ['connection.port', 'isInt'],
        ['replicas.1.port', 'max'],
      ]),
    );
    expect(issues(error)).not.toContainEqual(['replicas.0.port', expect.anything()]);
  });

  it('reports every problem at once', async () => {
    const error = await configError(
      registry().configure(PluginType.Compute, 'duckdb', {
        threads: 0,
        path: 5,
        readOnly: 'yes',
        connection: { host: 1 },
      }),
    );
    expect(issues(error)).toEqual(
      expect.arrayContaining([
        ['threads', 'min'],
        ['path', 'isString'],
        ['readOnly', 'isBoolean'],
        ['connection.host', 'isString'],
      ]),
    );
    for (const issue of error.errors) expect(error.message).toContain(issue.path);
  });

  it('refuses unknown keys at every depth', async () => {
    const error = await configError(
      registry().configure(PluginType.Compute, 'duckdb', {
        thread: 8,
        connection: { hots: 'x' },
        replicas: [{ host: 'a', port: 1, weight: 2 }],
      }),
    );
    expect(issues(error)).toEqual(
      expect.arrayContaining([
        ['thread', 'whitelistValidation'],
        ['connection.hots', 'whitelistValidation'],
        ['replicas.0.weight', 'whitelistValidation'],
      ]),
    );
  });

  it.each([
    ['null', null],
    ['an array', [{ threads: 1 }]],
    ['a string', 'threads=4'],
    ['a number', 4],
    ['a boolean', true],
    ['undefined', undefined],
    ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
    ['a constructor key', { constructor: { prototype: { polluted: true } } }],
    ['a nested prototype key', { connection: { prototype: { polluted: true } } }],
    ['a __proto__ key in an array item', { replicas: [JSON.parse('{"__proto__": {"polluted": true}}')] }],
  ])('refuses %s before transforming anything', async (_label, raw) => {
    const error = await configError(registry().configure(PluginType.Compute, 'duckdb', raw));
    expect(error.errors.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('names the path of a forbidden key', async () => {
    const error = await configError(
      registry().configure(PluginType.Compute, 'duckdb', { replicas: [{}, { constructor: 1 }] }),
    );
    expect(issues(error)).toEqual([['replicas.1.constructor', 'forbiddenKey']]);
  });

  it('refuses a configuration that refers to itself', async () => {
    const raw: Record<string, unknown> = { connection: {} };
    (raw.connection as Record<string, unknown>).self = raw;
    const error = await configError(registry().configure(PluginType.Compute, 'duckdb', raw));
    expect(issues(error)).toEqual([['connection.self', 'noCycle']]);
  });

  it('keeps the previous config when a new one fails', async () => {
    const r = registry();
    const good = await r.configure(PluginType.Compute, 'duckdb', { threads: 2 });
    await configError(r.configure(PluginType.Compute, 'duckdb', { threads: -1 }));
    expect(r.getConfig(PluginType.Compute, 'duckdb')).toBe(good);
  });

  it('injects the validated config into the plugin constructor', async () => {
    const r = registry();
    const config = await r.configure(PluginType.Compute, 'duckdb', { threads: 16 });
    const plugin = await r.get<DuckDBPlugin>(PluginType.Compute, 'duckdb');
    expect(plugin.config).toBe(config);
    expect(plugin.config.threads).toBe(16);
  });

  it('gives each plugin its own config when two share a schema class', async () => {
    const r = registry();
    await r.configure(PluginType.Compute, 'duckdb', { threads: 1 });
    await r.configure(PluginType.Compute, 'motherduck', { threads: 2 });
    const [duck, mother] = await Promise.all([
      r.get<DuckDBPlugin>(PluginType.Compute, 'duckdb'),
      r.get<MotherDuckPlugin>(PluginType.Compute, 'motherduck'),
    ]);
    expect([duck.config.threads, mother.config.threads]).toEqual([1, 2]);
  });

  it('builds a never-configured plugin with its defaults', async () => {
    const r = registry();
    const plugin = await r.get<DuckDBPlugin>(PluginType.Compute, 'duckdb');
    expect(plugin.config).toEqual(new DuckDBConfig());
    expect(r.getConfig(PluginType.Compute, 'duckdb')).toBe(plugin.config);
  });

  it('fails get with the PluginConfigurationError when the defaults do not validate', async () => {
    const r = registry();
    const error = await configError(r.get(PluginType.Secrets, 'token'));
    expect(issues(error)).toEqual([['token', 'isString']]);
    await r.configure(PluginType.Secrets, 'token', { token: 's3cret' });
    expect((await r.get<TokenPlugin>(PluginType.Secrets, 'token')).config.token).toBe('s3cret');
  });

  it('fixes the config once the plugin is live', async () => {
    const r = registry();
    await r.get(PluginType.Compute, 'duckdb');
    let caught: unknown;
    try {
      await r.configure(PluginType.Compute, 'duckdb', { threads: 2 });
    } catch (error) {
      caught = error;
    }
    expect(PluginError.is(caught, 'PLUGIN_ALREADY_ACTIVE')).toBe(true);
    expect((caught as Error).message).toContain('before');
  });

  it('allows reconfiguring after shutdown, and the next instance gets the new config', async () => {
    const r = registry();
    await r.get(PluginType.Compute, 'duckdb');
    await r.shutdownAll();
    await r.configure(PluginType.Compute, 'duckdb', { threads: 9 });
    expect((await r.get<DuckDBPlugin>(PluginType.Compute, 'duckdb')).config.threads).toBe(9);
  });

  it('returns undefined for a plugin without schema given no settings', async () => {
    const r = registry();
    await expect(r.configure(PluginType.Storage, 'plain', {})).resolves.toBeUndefined();
    await expect(r.configure(PluginType.Storage, 'plain', undefined)).resolves.toBeUndefined();
    expect(r.getConfig(PluginType.Storage, 'plain')).toBeUndefined();
  });

  it('refuses settings for a plugin without schema', async () => {
    const r = registry();
    const error = await rejection<PluginConfigurationError>(r.configure(PluginType.Storage, 'plain', { anything: 1 }));
    expect(error).toBeInstanceOf(PluginConfigurationError);
    expect(error).toMatchObject({ code: 'PLUGIN_CONFIG_INVALID', pluginKey: 'floe.storage:plain' });
    expect(error.errors).toEqual([expect.objectContaining({ path: '', constraint: 'noConfigSchema' })]);
  });

  it('imports a discovered plugin to configure it, without starting it', async () => {
    const tree = PackageTree.create('configure');
    try {
      tree.linkDependency('class-validator');
      tree.package('p', floeField(['floe.dbt', 'local', './index.js#localPlugin']), {
        'index.js': pluginModule({
          type: 'floe.dbt',
          name: 'local',
          prelude: `class Settings { constructor() { this.target = 'dev'; } }\nrequire('class-validator').IsString()(Settings.prototype, 'target');`,
          extraOptions: 'configSchema: Settings',
          body: 'startup() { globalThis.__dbtStarted = true; }',
        }),
      });
      const r = new PluginRegistry({ rootDir: tree.root, logger });
      r.discoverAll();
      await expect(r.configure(PluginType.DBT, 'local', { target: 'prod' })).resolves.toEqual({ target: 'prod' });
      expect(loadCount('floe.dbt:local')).toBe(1);
      expect(r.info(PluginType.DBT, 'local').state).toBe('loaded');
      expect((globalThis as { __dbtStarted?: boolean }).__dbtStarted).toBeUndefined();
    } finally {
      tree.remove();
    }
  });
});
