import * as fs from 'node:fs';
import { inject, injectable } from 'inversify';
import {
  ConfigFileError,
  createSilentLogger,
  findPlatformConfig,
  loadPlatformConfig,
  PlatformConfigError,
  type PluginError,
  PluginRegistry,
  PluginType,
  type PluginMetadata,
} from '../../src';
import { DuckDBPlugin, MotherDuckPlugin, PlainPlugin, TokenPlugin } from '../support/config-fixtures';
import { thrown } from '../support/caught';
import { PackageTree } from '../support/package-tree';

const logger = createSilentLogger();

@injectable()
class UsesDefaultCompute {
  constructor(@inject(PluginType.Compute) readonly compute: PluginMetadata) {}
}

function registry(): PluginRegistry {
  const r = new PluginRegistry({ rootDir: '/nonexistent', logger });
  for (const cls of [DuckDBPlugin, MotherDuckPlugin, TokenPlugin, PlainPlugin]) r.register(cls);
  return r;
}

function fileError(fn: () => unknown): ConfigFileError {
  const error = thrown<ConfigFileError>(fn);
  expect(error).toBeInstanceOf(ConfigFileError);
  return error;
}

const yamlConfig = `# The plugin a bare @inject(type) gets, per type.
defaults:
  floe.computes: motherduck

# Settings per plugin, by plugin key.
plugins:
  floe.computes:duckdb:
    threads: 8
    connection:
      port: 6000
  floe.secrets:token:
    token: s3cret
  floe.storage:plain:
`;

const jsonConfig = JSON.stringify(
  {
    defaults: { 'floe.computes': 'motherduck' },
    plugins: {
      'floe.computes:duckdb': { threads: 8, connection: { port: 6000 } },
      'floe.secrets:token': { token: 's3cret' },
    },
  },
  null,
  2,
);

describe('platform configuration files', () => {
  let tree: PackageTree;
  beforeEach(() => {
    tree = PackageTree.create('config-files');
  });
  afterEach(() => tree.remove());

  it.each([
    ['floe.config.yaml', yamlConfig],
    ['floe.config.json', jsonConfig],
  ])('reads %s and applies settings and defaults', async (name, text) => {
    const config = loadPlatformConfig(tree.write(name, text));
    expect(config.defaults).toEqual({ [PluginType.Compute]: 'motherduck' });
    expect(config.plugins['floe.computes:duckdb']).toEqual({ threads: 8, connection: { port: 6000 } });
    expect(config.locations['floe.computes:duckdb'].line).toBeGreaterThan(1);
    const r = registry();
    const applied = await r.applyConfig(config);
    expect(Object.keys(applied)).toEqual(Object.keys(config.plugins));
    const duck = await r.get<DuckDBPlugin>(PluginType.Compute, 'duckdb');
    expect(duck.config.threads).toBe(8);
    expect(duck.config.connection).toEqual({ host: 'localhost', port: 6000 });
    r.container.bind(UsesDefaultCompute).toSelf();
    expect((await r.container.getAsync(UsesDefaultCompute)).compute).toBeInstanceOf(MotherDuckPlugin);
  });

  it('treats a plugin listed without settings as configured with its defaults', async () => {
    const config = loadPlatformConfig(tree.write('floe.config.yaml', 'plugins:\n  floe.computes:duckdb:\n'));
    expect(config.plugins).toEqual({ 'floe.computes:duckdb': {} });
    const r = registry();
    await r.applyConfig(config);
    expect(r.getConfig(PluginType.Compute, 'duckdb')).toMatchObject({ threads: 4 });
  });

  it('reports every problem of every plugin at once and applies nothing', async () => {
    const r = registry();
    const before = await r.configure(PluginType.Compute, 'duckdb', { threads: 2 });
    await r.get(PluginType.Storage, 'plain');
    const config = loadPlatformConfig(
      tree.write(
        'floe.config.yaml',
        [
          'defaults:',
          '  floe.catalogs: polaris',
          'plugins:',
          '  floe.computes:duckdb:',
          '    threads: 0',
          '  floe.computes:motherduck:',
          '    threads: 3',
          '  floe.secrets:token:',
          '    token: 42',
          '    extra: true',
          '  floe.computes:snowflake:',
          '    warehouse: x',
          '  floe.storage:plain: {}',
        ].join('\n'),
      ),
    );
    let caught: unknown;
    try {
      await r.applyConfig(config);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlatformConfigError);
    const error = caught as PlatformConfigError;
    expect(error.code).toBe('PLATFORM_CONFIG_INVALID');
    expect(error.errors.map((e) => [e.pluginKey, (e.error as PluginError).code])).toEqual([
      ['floe.computes:duckdb', 'PLUGIN_CONFIG_INVALID'],
      ['floe.secrets:token', 'PLUGIN_CONFIG_INVALID'],
      ['floe.computes:snowflake', 'PLUGIN_NOT_FOUND'],
      ['floe.storage:plain', 'PLUGIN_ALREADY_ACTIVE'],
      ['floe.catalogs:polaris', 'PLUGIN_NOT_FOUND'],
    ]);
    expect(error.message).toContain(`${config.source}:4`);
    expect(r.getConfig(PluginType.Compute, 'duckdb')).toBe(before);
    expect(r.getConfig(PluginType.Compute, 'motherduck')).toBeUndefined();
  });

  it('refuses a missing file, naming it', () => {
    const error = fileError(() => loadPlatformConfig(tree.path('floe.config.yaml')));
    expect(error).toMatchObject({
      code: 'CONFIG_FILE_INVALID',
      problem: 'missing',
      file: tree.path('floe.config.yaml'),
    });
    expect(error.message).toContain(tree.path('floe.config.yaml'));
  });

  it('refuses a folder in place of the file', () => {
    fs.mkdirSync(tree.path('floe.config.json'));
    expect(fileError(() => loadPlatformConfig(tree.path('floe.config.json'))).problem).toBe('not-a-file');
  });

  it('refuses a file type it cannot read', () => {
    expect(fileError(() => loadPlatformConfig(tree.write('floe.config.toml', 'a = 1'))).problem).toBe('format');
  });

  it('gives line and column of a JSON syntax error', () => {
    const error = fileError(() =>
      loadPlatformConfig(tree.write('floe.config.json', '{\n  "plugins": {\n    "a" 1\n  }\n}')),
    );
    expect(error).toMatchObject({ problem: 'syntax', line: 3, column: 9 });
    expect(error.message).toMatch(/floe\.config\.json:3:9: not valid JSON/);
  });

  it('gives line and column of a YAML syntax error', () => {
    const error = fileError(() => loadPlatformConfig(tree.write('floe.config.yaml', 'plugins:\n  a: [1\n  b: 2\n')));
    expect(error.problem).toBe('syntax');
    expect(error.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses duplicate keys', () => {
    const error = fileError(() => loadPlatformConfig(tree.write('floe.config.yaml', 'plugins: {}\nplugins: {}\n')));
    expect(error).toMatchObject({ problem: 'syntax', line: 2 });
  });

  it.each([
    ['a list at the top', '- plugins\n', undefined],
    ['an unknown top-level key', 'defaults: {}\nplugin: {}\n', 2],
    ['defaults that are not a mapping', 'defaults: [duckdb]\n', 1],
    ['a default for an unknown type', 'defaults:\n  floe.compute: duckdb\n', 2],
    ['a default that is not a name', 'defaults:\n  floe.computes: 12\n', 2],
    ['plugins that are not a mapping', 'plugins: duckdb\n', 1],
    ['a plugin entry that is not a key', 'plugins:\n  duckdb:\n    threads: 1\n', 2],
    ['a plugin key of an unknown type', 'plugins:\n  floe.compute:duckdb: {}\n', 2],
  ])('refuses %s, with its line', (_label, text, line) => {
    const error = fileError(() => loadPlatformConfig(tree.write('floe.config.yaml', text)));
    expect(error.problem).toBe('shape');
    if (line !== undefined) expect(error.line).toBe(line);
  });

  it('reads an empty file as an empty configuration', () => {
    expect(loadPlatformConfig(tree.write('floe.config.yaml', '# nothing yet\n'))).toMatchObject({
      defaults: {},
      plugins: {},
    });
  });

  it('finds the configuration file of a folder, and refuses two', () => {
    expect(findPlatformConfig(tree.root)).toBeUndefined();
    tree.write('floe.config.yaml', '');
    expect(findPlatformConfig(tree.root)).toBe(tree.path('floe.config.yaml'));
    tree.write('floe.config.json', '{}');
    expect(fileError(() => findPlatformConfig(tree.root)).problem).toBe('ambiguous');
  });

  it('keeps a __proto__ key in a YAML file away from Object.prototype', async () => {
    const config = loadPlatformConfig(
      tree.write('floe.config.yaml', 'plugins:\n  floe.computes:duckdb:\n    __proto__:\n      polluted: true\n'),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    let caught: unknown;
    try {
      await registry().applyConfig(config);
    } catch (error) {
      caught = error;
    }
    const inner = (caught as PlatformConfigError).errors[0].error as PluginError;
    expect(inner.code).toBe('PLUGIN_CONFIG_INVALID');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
