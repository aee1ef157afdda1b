import {
  ConfigFileError,
  createSilentLogger,
  loadPlatformConfig,
  parsePlatformConfig,
  PluginConfigurationError,
  PluginRegistry,
  PluginType,
  type PluginRegistryOptions,
} from '../../src';
import { DuckDBPlugin } from '../support/config-fixtures';
import { rejection, thrown } from '../support/caught';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';
import { runMain } from '../support/run-main';

/* Operator-written configuration that is hostile or strange: every case gets a coded error, nothing hangs. */

function fileError(fn: () => unknown): ConfigFileError {
  const error = thrown<ConfigFileError>(fn);
  expect(error).toBeInstanceOf(ConfigFileError);
  expect(error.code).toBe('CONFIG_FILE_INVALID');
  return error;
}

describe('config files', () => {
  it('refuses a YAML alias bomb with the file and line, without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const text = `plugins:\n  floe.computes:duckdb:\n${levels.map((line) => `    ${line}`).join('\n')}\n`;
    const error = fileError(() => parsePlatformConfig(text, 'floe.config.yaml'));
    expect(error.file).toBe('floe.config.yaml');
    // Line 4 holds the first alias, `b: &b [*a, ...]`.
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/^floe\.config\.yaml:4:\d+: its aliases/);
  });

  it('keeps duplicate keys refused, with their line and column, in YAML and JSON', () => {
    const yaml = fileError(() =>
      parsePlatformConfig('plugins:\n  floe.computes:duckdb: {}\n  floe.computes:duckdb: {}\n', 'floe.config.yaml'),
    );
    expect([yaml.line, yaml.column]).toEqual([3, 3]);
    const json = fileError(() => parsePlatformConfig('{\n  "defaults": {},\n  "defaults": {}\n}', 'floe.config.json'));
    expect(json.line).toBe(3);
  });

  it('refuses a file nested far too deep as a parser limit, not a RangeError', () => {
    const text = `plugins:\n  floe.computes:duckdb:\n    a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
    const error = fileError(() => parsePlatformConfig(text, 'floe.config.yaml'));
    expect(error.problem).toBe('syntax');
  });

  it('parses a file with many keys (duplicate check in linear time)', () => {
    const count = 20_000;
    const text = `plugins:\n${Array.from({ length: count }, (_, i) => `  floe.computes:p${i}:\n    threads: 1`).join('\n')}\n`;
    const config = parsePlatformConfig(text, 'floe.config.yaml');
    expect(Object.keys(config.plugins)).toHaveLength(count);
    expect(config.locations[`floe.computes:p${count - 1}`]).toEqual({ line: 2 * count, column: 3 });
  });

  it('refuses a __proto__ key with its position, and never pollutes Object.prototype', () => {
    const error = fileError(() =>
      parsePlatformConfig('plugins:\n  __proto__:\n    polluted: true\n', 'floe.config.yaml'),
    );
    expect([error.problem, error.line]).toEqual(['shape', 2]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('config values', () => {
  function registry(): PluginRegistry {
    const r = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    r.register(DuckDBPlugin);
    return r;
  }

  async function refused(raw: unknown): Promise<PluginConfigurationError> {
    const r = registry();
    const before = await r.configure(PluginType.Compute, 'duckdb', { threads: 2 });
    const error = await rejection<PluginConfigurationError>(r.configure(PluginType.Compute, 'duckdb', raw));
    expect(error).toBeInstanceOf(PluginConfigurationError);
    expect(error.code).toBe('PLUGIN_CONFIG_INVALID');
    expect(r.getConfig(PluginType.Compute, 'duckdb')).toBe(before);
    return error;
  }

  it('refuses a config nested 10,000 deep with the depth limit, keeping the previous config', async () => {
    let deep: Record<string, unknown> = {};
    const root = { connection: deep };
    for (let i = 0; i < 10_000; i++) deep = deep.next = {} as Record<string, unknown>;
    const error = await refused(root);
    expect(error.errors).toEqual([expect.objectContaining({ constraint: 'maxDepth' })]);
    expect(error.errors[0].message).toContain('32');
  });

  it.each([
    ['a Map', new Map([['threads', 8]]), 'a Map'],
    ['a Set', new Set([1]), 'a Set'],
    ['a RegExp', /x/, 'a RegExp'],
    ['a Date', new Date(0), 'a Date'],
    ['a class instance', new (class Settings {})(), 'an instance of Settings'],
    ['a Proxy', new Proxy({ threads: 8 }, {}), 'a Proxy'],
  ])('refuses %s as the config', async (_label, raw, kind) => {
    const error = await refused(raw);
    expect(error.errors).toEqual([expect.objectContaining({ path: '', constraint: 'plainData' })]);
    expect(error.errors[0].message).toContain(kind);
  });

  it('refuses a nested value that is not plain data, naming its path', async () => {
    const error = await refused({ connection: new Map() });
    expect(error.errors).toEqual([expect.objectContaining({ path: 'connection', constraint: 'plainData' })]);
  });

  it('refuses a getter, even one that throws, without calling it', async () => {
    const raw = {};
    Object.defineProperty(raw, 'threads', {
      enumerable: true,
      get() {
        throw new Error('called');
      },
    });
    const error = await refused(raw);
    expect(error.errors).toEqual([expect.objectContaining({ path: 'threads', constraint: 'plainData' })]);
  });

  it('accepts an object without prototype', async () => {
    const raw = Object.assign(Object.create(null) as Record<string, unknown>, { threads: 8 });
    expect(await registry().configure(PluginType.Compute, 'duckdb', raw)).toMatchObject({ threads: 8 });
  });

  it.each(['toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'])(
    'refuses a key named %s as an unknown setting instead of dropping it',
    async (key) => {
      const error = await refused({ threads: 4, [key]: 1 });
      expect(error.errors).toEqual([expect.objectContaining({ path: key, constraint: 'whitelistValidation' })]);
    },
  );
});

describe('registry options', () => {
  it.each([
    ['an unknown option', { timeout: 5 }],
    ['an inherited name in timeouts', { timeouts: { toString: 5 } }],
    ['an unknown timeout', { timeouts: { bootMs: 5 } }],
  ])('refuses %s', (_label, options) => {
    const error = thrown(() => new PluginRegistry(options as PluginRegistryOptions));
    expect(error.code).toBe('REGISTRY_OPTIONS_INVALID');
  });
});

describe('plugins that misbehave at import', () => {
  let tree: PackageTree;
  beforeEach(() => {
    tree = PackageTree.create('hostile-import');
    tree.project({});
  });
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).dependsOn;
    tree.remove();
  });

  it('cannot change other plugins by setting Object.prototype.dependsOn', async () => {
    tree.package('polluter', floeField(['floe.computes', 'polluter', './index.js#polluterPlugin']), {
      'index.js': pluginModule({
        type: 'floe.computes',
        name: 'polluter',
        prelude: `Object.prototype.dependsOn = ['floe.secrets:nowhere'];`,
      }),
    });
    tree.package('victim', floeField(['floe.storage', 'victim', './index.js#victimPlugin']), {
      'index.js': [
        `'use strict';`,
        `const floe = require('floe-core');`,
        `class victimPlugin extends floe.PluginMetadata {}`,
        `const options = { type: 'floe.storage', name: 'victim', version: '1.0.0', apiVersion: '1.0' };`,
        `floe.FloePlugin(options)(victimPlugin);`,
        `exports.victimPlugin = victimPlugin;`,
      ].join('\n'),
    });
    const registry = new PluginRegistry({ rootDir: tree.root, logger: createSilentLogger() });
    registry.discoverAll();
    await registry.load(PluginType.Compute, 'polluter');
    expect((await registry.load(PluginType.Storage, 'victim')).dependsOn).toEqual([]);
    expect(await registry.get(PluginType.Storage, 'victim')).toBeDefined();
    expect((await registry.resolveDependencies(['floe.storage:victim'])).map((info) => info.key)).toEqual([
      'floe.storage:victim',
    ]);
  });

  it('shows package names with terminal control characters escaped', async () => {
    tree.write(
      'node_modules/evil/package.json',
      JSON.stringify({ name: 'evil\u001b[2J\u009b31m', version: '1.0.0', floe: { plugins: { nope: {} } } }),
    );
    const { stdout } = await runMain(['list', '--root', tree.root]);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(stdout).not.toMatch(/[\u001b\u009b]/);
    expect(stdout).toContain('evil\\u001b[2J\\u009b31m');
    const json = await runMain(['list', '--root', tree.root, '--json']);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(json.stdout).not.toMatch(/[\u001b\u009b]/);
    expect(JSON.parse(json.stdout).issues[0].packageName).toBe('evil\u001b[2J\u009b31m');
  });
});

describe('a platform config file loaded from disk', () => {
  it('reads a hostile file as a coded error naming it', () => {
    const tree = PackageTree.create('hostile-config-file');
    try {
      const file = tree.write('floe.config.yaml', 'plugins:\n  floe.computes:duckdb: {}\n  floe.computes:duckdb: {}\n');
      const error = fileError(() => loadPlatformConfig(file));
      expect(error.file).toBe(file);
      expect(error.line).toBe(3);
    } finally {
      tree.remove();
    }
  });
});
