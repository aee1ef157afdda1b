import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import { PlatformConfigError, PluginConfigurationError } from '../../../src';
import { messageOf } from '../../../src/errors';
import { createTestRegistry } from '../../../src/testing';
import { rejection } from '../../support/caught';
import { DuckDBPlugin } from '../../support/config-fixtures';
import { locateProblem } from '../../../src/config/platform-config-error';
import { parsePlatformConfig } from '../../../src/config/platform-config';
import { validateConfig } from '../../../src/config/validate-config';

class Connection {
  @IsString() host = 'localhost';
  @IsInt() port = 5432;
}

class Settings {
  @IsInt() @Min(1) @Max(10) threads = 1;
  @IsIn(['fast', 'safe']) mode = 'safe';
  @ValidateNested() @Type(() => Connection) connection = new Connection();
  @IsString({ each: true }) tags: string[] = [];
}

const KEY = 'floe.computes:duckdb';

/** The issues applyConfig would report for the file, each as `path line:column constraint`. */
async function located(file: string, text: string): Promise<string[]> {
  const config = parsePlatformConfig(text, file);
  const error = await validateConfig(Settings, config.plugins[KEY], { name: 'duckdb', key: KEY }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PluginConfigurationError);
  const problem = locateProblem({ pluginKey: KEY, error }, config);
  return (problem.error as PluginConfigurationError).errors.map(
    (issue) => `${issue.path} ${issue.line}:${issue.column} ${issue.constraint}`,
  );
}

describe('config problems point at the offending key or value', () => {
  it('in a YAML file: a wrong value at the value, an unknown key at the key, nested and in lists', async () => {
    const text = [
      'plugins:',
      `  ${KEY}:`,
      '    threads: four',
      '    szie: 3',
      '    mode: fastest   # a comment',
      '    connection:',
      '      port: "x"',
      '      hots: db',
      '    tags:',
      '      - ok',
      '      - 7',
      '',
    ].join('\n');
    expect(await located('floe.config.yaml', text)).toEqual([
      'szie 4:5 whitelistValidation',
      'threads 3:14 isInt',
      'mode 5:11 isIn',
      'connection.hots 8:7 whitelistValidation',
      'connection.port 7:13 isInt',
      'tags.1 11:9 isString',
    ]);
  });

  it('in a JSON file, on one line', async () => {
    const text = `{"plugins": {"${KEY}": {"threads": "four", "connection": {"port": "x"}}}}`;
    const column = (needle: string) => text.indexOf(needle) + 1;
    expect(await located('floe.config.json', text)).toEqual([
      `threads 1:${column('"four"')} isInt`,
      `connection.port 1:${column('"x"')} isInt`,
    ]);
  });

  it('with a byte order mark and CRLF line ends, and an empty value at its key', async () => {
    const text = `\ufeffplugins:\r\n  ${KEY}:\r\n    threads:\r\n    mode: slow\r\n`;
    expect(await located('floe.config.yaml', text)).toEqual(['threads 3:5 isInt', 'mode 4:11 isIn']);
  });

  it('through an alias: at the values where the anchor defines them', async () => {
    const text = [
      'plugins:',
      '  floe.secrets:base: &base',
      '    threads: four',
      '    mode: slow',
      `  ${KEY}: *base`,
      '',
    ].join('\n');
    expect(await located('floe.config.yaml', text)).toEqual(['threads 3:14 isInt', 'mode 4:11 isIn']);
    expect(parsePlatformConfig(text, 'f.yaml').positions?.setting(KEY, 'mode', 'key')).toEqual({ line: 4, column: 5 });
  });

  it('a duplicate key where it is given the second time, in settings too', () => {
    const text = `plugins:\n  ${KEY}:\n    threads: 1\n    mode: fast\n    threads: 2\n`;
    expect(() => parsePlatformConfig(text, 'f.yaml')).toThrow(
      expect.objectContaining({ code: 'CONFIG_FILE_INVALID', problem: 'syntax', line: 5, column: 5 }),
    );
  });

  it('a missing setting at the key of the mapping that lacks it', async () => {
    const config = parsePlatformConfig(`plugins:\n  ${KEY}:\n    connection:\n      port: 1\n`, 'f.yaml');
    expect(config.positions?.setting(KEY, 'connection.host', 'value')).toEqual({ line: 3, column: 5 });
    expect(config.positions?.setting(KEY, 'absent', 'value')).toEqual({ line: 2, column: 3 });
    expect(config.positions?.setting(KEY, '', 'value')).toEqual({ line: 2, column: 3 });
  });

  it('a key that holds dots is one key', async () => {
    const config = parsePlatformConfig(`plugins:\n  ${KEY}:\n    a.b:\n      c: 1\n`, 'f.yaml');
    expect(config.positions?.setting(KEY, 'a.b.c', 'value')).toEqual({ line: 4, column: 10 });
  });

  it('counts a tab as one column, as editors do', async () => {
    const config = parsePlatformConfig(`plugins:\n  ${KEY}:\n    threads:\t"x"\n`, 'f.yaml');
    expect(config.positions?.setting(KEY, 'threads', 'value')).toEqual({ line: 3, column: 14 });
  });
});

describe('applyConfig with a config read from a file', () => {
  const file = '/platform/floe.config.yaml';
  const text = [
    'defaults:',
    '  floe.computes: duckbd',
    'plugins:',
    '  floe.computes:duckdb:',
    '    threads: 0',
    '    connection:',
    '      prot: 1',
    '  floe.computes:duckbd: {}',
    '',
  ].join('\n');

  it('reports each problem where it is, with did-you-mean for a mistyped setting, plugin and default', async () => {
    const registry = createTestRegistry();
    registry.register(DuckDBPlugin);
    const error = await rejection(registry.applyConfig(parsePlatformConfig(text, file)));
    expect(error).toBeInstanceOf(PlatformConfigError);
    const problems = (error as PlatformConfigError).errors;
    expect(problems.map((p) => [p.pluginKey, p.line, p.column, (p.error as PlatformConfigError).code])).toEqual([
      ['floe.computes:duckdb', 4, 3, 'PLUGIN_CONFIG_INVALID'],
      ['floe.computes:duckbd', 8, 3, 'PLUGIN_NOT_FOUND'],
      ['floe.computes:duckbd', 2, 18, 'PLUGIN_NOT_FOUND'],
    ]);
    const settings = problems[0].error as PluginConfigurationError;
    expect(settings.source).toBe(file);
    expect(settings.errors.map((i) => [i.path, i.line, i.column, i.message])).toEqual([
      ['threads', 5, 14, '"threads" must be at least 1, not 0'],
      ['connection.prot', 7, 7, '"connection.prot" is not a known setting; did you mean "connection.port"?'],
    ]);
    expect(messageOf(problems[1].error)).toContain('not found; did you mean "duckdb"?');
    expect(messageOf(error)).toContain(`  - floe.computes:duckdb (${file}:4:3): Configuration of plugin`);
    expect(messageOf(error)).toContain(`    - threads (${file}:5:14): "threads" must be at least 1, not 0 [min]`);
  });

  it('says nothing of lines for settings given as an object', async () => {
    const registry = createTestRegistry();
    registry.register(DuckDBPlugin);
    const config = { ...parsePlatformConfig(text, file), positions: undefined, source: undefined, locations: {} };
    const error = await rejection<PlatformConfigError>(registry.applyConfig(config));
    expect(error.errors[0]).not.toHaveProperty('line');
    const settings = error.errors[0].error as PluginConfigurationError;
    expect(settings.errors.every((i) => i.line === undefined)).toBe(true);
    expect(settings.message).toContain('  - threads: "threads" must be at least 1, not 0 [min]');
  });
});

describe('a config file’s own keys', () => {
  const problem = (text: string) => {
    try {
      parsePlatformConfig(text, 'f.yaml');
    } catch (error) {
      return messageOf(error);
    }
    throw new Error('expected the file to be refused');
  };

  it('a mistyped top-level key, plugin type or timeout says which was meant, at its line and column', () => {
    expect(problem('plugin:\n  x: 1\n')).toBe(
      'f.yaml:1:1: unknown top-level key "plugin"; did you mean "plugins"? The keys are "defaults" (default plugin per type), "plugins" (settings per plugin key), "timeouts" and "$schema".',
    );
    expect(problem('plugins:\n  floe.compute:duckdb: {}\n')).toMatch(
      /^f\.yaml:2:3: "floe\.compute:duckdb" under "plugins" is not a plugin key; did you mean "floe\.computes:duckdb"\?/,
    );
    expect(problem('defaults:\n  floe.compute: duckdb\n')).toMatch(
      /^f\.yaml:2:3: "defaults" names the unknown plugin type "floe\.compute"; did you mean "floe\.computes"\?/,
    );
    expect(problem('timeouts:\n  startMs: 10\n')).toMatch(
      /^f\.yaml:2:3: unknown timeout "startMs"; did you mean "startupMs"\?/,
    );
  });

  it('a wrong value at the value', () => {
    expect(problem('defaults:\n  floe.computes: "Bad Name"\n')).toMatch(/^f\.yaml:2:18: "defaults\.floe\.computes"/);
    expect(problem('timeouts:\n  drainMs: -1\n')).toMatch(/^f\.yaml:2:12: "timeouts\.drainMs"/);
  });
});
