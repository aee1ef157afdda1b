import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { isDependencyReference, isValidPluginName } from '../plugin/floe-plugin';
import { isPluginType, PLUGIN_TYPES, type PluginType } from '../plugin-type';
import { isPlainObject } from '../discovery/manifest';
import { ConfigFileError } from './config-file-error';

/** A platform's configuration file, read and checked for shape (the plugins' own settings are checked by `applyConfig`). */
export interface PlatformConfig {
  /** The file it was read from, when it was. */
  readonly source?: string;
  /** The plugin a bare `@inject(type)` gets, per type. */
  readonly defaults: Partial<Record<PluginType, string>>;
  /** Raw settings per plugin key (`'floe.computes:duckdb'`); `{}` for a plugin listed without settings. */
  readonly plugins: Readonly<Record<string, unknown>>;
  /** Where each plugin's settings start in the file, for error messages. */
  readonly locations: Readonly<Record<string, { line: number; column: number }>>;
}

/** The file names `findPlatformConfig` looks for, in this order. */
export const CONFIG_FILE_NAMES = ['floe.config.yaml', 'floe.config.yml', 'floe.config.json'] as const;

const TOP_LEVEL = new Set(['defaults', 'plugins']);

/**
 * The platform configuration file in a folder, or `undefined` when there is none.
 *
 * @throws ConfigFileError when the folder holds more than one, so that the choice is never silent.
 */
export function findPlatformConfig(rootDir: string): string | undefined {
  const present = CONFIG_FILE_NAMES.map((name) => path.join(rootDir, name)).filter((file) => fs.existsSync(file));
  if (present.length > 1) {
    throw new ConfigFileError(
      present[0],
      'ambiguous',
      `${present.length} configuration files exist (${present.map((f) => path.basename(f)).join(', ')}); keep one.`,
    );
  }
  return present[0];
}

/**
 * Reads `floe.config.yaml` / `.yml` / `.json`: `defaults` (type to plugin name) and `plugins` (plugin key
 * to settings).
 *
 * @throws ConfigFileError for a missing, unreadable, unparsable or wrongly shaped file, with line and column where known.
 * @example
 * ```yaml
 * defaults:
 *   floe.computes: duckdb
 * plugins:
 *   floe.computes:duckdb:
 *     threads: 4
 * ```
 */
export function loadPlatformConfig(file: string): PlatformConfig {
  const extension = path.extname(file).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(extension)) {
    throw new ConfigFileError(file, 'format', 'a platform configuration file must end in .yaml, .yml or .json.');
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT')
      throw new ConfigFileError(file, 'missing', 'the file does not exist; create it or pass the right path.', {
        cause: error,
      });
    throw new ConfigFileError(
      file,
      'unreadable',
      `the file cannot be read (${code ?? String(error)}); check its permissions.`,
      { cause: error },
    );
  }
  return parsePlatformConfig(text, file);
}

/**
 * Parses the text of a platform configuration file; the format follows the file name's extension.
 *
 * @throws ConfigFileError as loadPlatformConfig does.
 */
export function parsePlatformConfig(text: string, file: string): PlatformConfig {
  if (file.toLowerCase().endsWith('.json')) {
    try {
      JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message);
      const at = position === null ? undefined : lineAndColumn(text, Number(position[1]));
      throw new ConfigFileError(file, 'syntax', `not valid JSON: ${(error as Error).message}.`, {
        ...at,
        cause: error,
      });
    }
  }
  // JSON is YAML too: one parser gives positions for both formats' shape errors.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const at = error.linePos?.[0];
    throw new ConfigFileError(
      file,
      'syntax',
      `not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}.`,
      {
        ...(at === undefined ? {} : { line: at.line, column: at.col }),
        cause: error,
      },
    );
  }
  const where = (keys: string[]) => positionOf(doc, lines, keys);
  const fail = (problem: string, keys: string[] = []): never => {
    throw new ConfigFileError(file, 'shape', problem, where(keys));
  };

  const root: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  if (!isPlainObject(root)) return fail('the file must hold a mapping with "defaults" and "plugins".');
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL.has(key))
      fail(
        `unknown top-level key "${key}"; the keys are "defaults" (default plugin per type) and "plugins" (settings per plugin key).`,
        [key],
      );
  }
  const defaults: Partial<Record<PluginType, string>> = {};
  const rawDefaults = root.defaults ?? {};
  if (!isPlainObject(rawDefaults))
    fail('"defaults" must map plugin types to plugin names, such as "floe.computes: duckdb".', ['defaults']);
  for (const [type, name] of Object.entries(rawDefaults as Record<string, unknown>)) {
    if (!isPluginType(type))
      fail(`"defaults" names the unknown plugin type "${type}"; use one of ${PLUGIN_TYPES.join(', ')}.`, [
        'defaults',
        type,
      ]);
    if (!isValidPluginName(name))
      fail(`"defaults.${type}" must be a plugin name such as "duckdb".`, ['defaults', type]);
    defaults[type as PluginType] = name as string;
  }
  const plugins: Record<string, unknown> = {};
  const locations: Record<string, { line: number; column: number }> = {};
  const rawPlugins = root.plugins ?? {};
  if (!isPlainObject(rawPlugins))
    fail('"plugins" must map plugin keys such as "floe.computes:duckdb" to their settings.', ['plugins']);
  for (const [key, settings] of Object.entries(rawPlugins as Record<string, unknown>)) {
    if (!key.includes(':') || !isDependencyReference(key)) {
      fail(`"${key}" under "plugins" is not a plugin key; write "<type>:<name>", such as "floe.computes:duckdb".`, [
        'plugins',
        key,
      ]);
    }
    plugins[key] = settings ?? {};
    const at = where(['plugins', key]);
    if (at.line !== undefined) locations[key] = { line: at.line, column: at.column as number };
  }
  return { source: file, defaults, plugins, locations };
}

function positionOf(doc: Document, lines: LineCounter, keys: string[]): { line?: number; column?: number } {
  if (keys.length === 0) return {};
  const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
  const pair = (
    parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null
  )?.items?.find((item) => item.key?.value === keys[keys.length - 1]);
  const offset = pair?.key?.range?.[0];
  if (offset === undefined) return {};
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
