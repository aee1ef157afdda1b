import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as JsYaml from 'js-yaml';
import type { YAMLException } from 'js-yaml';
import { lazy } from '../lazy';

// Loaded when a config file is first parsed.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
const jsYaml = lazy(() => require('js-yaml') as typeof JsYaml);
import { messageOf } from '../errors';
import { describeBytes, jsonProblem, MAX_CONFIG_BYTES, readTextFile, TextFileError } from '../text-file';
import { isDependencyReference, isValidPluginName } from '../plugin/plugin-name';
import { isPluginType, PLUGIN_TYPES, type PluginType } from '../plugin-type';
import { isPlainObject, own } from '../discovery/manifest';
import { ConfigFileError } from './config-file-error';
import { closest, didYouMean } from '../did-you-mean';
import { YamlPositions, type SourcePosition } from './yaml-positions';

/** A platform's configuration file, read and checked for shape (the plugins' own settings are checked by `applyConfig`). */
export interface PlatformConfig {
  /** The file it was read from, when it was. */
  readonly source?: string;
  /** The plugin a bare `@inject(type)` gets, per type. */
  readonly defaults: Partial<Record<PluginType, string>>;
  /** Raw settings per plugin key (`'floe.computes:duckdb'`); `{}` for a plugin listed without settings. */
  readonly plugins: Readonly<Record<string, unknown>>;
  /** Where each plugin's key is in the file, for error messages. */
  readonly locations: Readonly<Record<string, { line: number; column: number }>>;
  /** Where each setting's key and value are in the file, for error messages; set when read from a file. */
  readonly positions?: ConfigPositions;
  /** Hook time limits for the floe command (its flags win over these). */
  readonly timeouts?: PlatformTimeouts;
}

/** The time limits a platform config file may set, in milliseconds. */
export interface PlatformTimeouts {
  readonly startupMs?: number;
  readonly shutdownMs?: number;
  readonly healthMs?: number;
  /** `floe serve`: how long readiness is 503 before plugins stop, on SIGTERM or SIGINT; default 0. */
  readonly drainMs?: number;
}

const TIMEOUT_KEYS: readonly (keyof PlatformTimeouts)[] = ['startupMs', 'shutdownMs', 'healthMs', 'drainMs'];
// setTimeout fires at once for delays above 2^31 - 1 ms.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The file names `findPlatformConfig` looks for, in this order. */
export const CONFIG_FILE_NAMES = ['floe.config.yaml', 'floe.config.yml', 'floe.config.json'] as const;

// `$schema` lets editors find the JSON Schema of the file (see `floe schema`); it is ignored.
const TOP_LEVEL = new Set(['defaults', 'plugins', 'timeouts', '$schema']);

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
    text = readTextFile(file, MAX_CONFIG_BYTES);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT')
      throw new ConfigFileError(file, 'missing', 'the file does not exist; create it or pass the right path.', {
        cause: error,
      });
    if (error instanceof TextFileError && error.code === 'EFBIG')
      throw new ConfigFileError(
        file,
        'too-large',
        `the file is ${describeBytes(error.size ?? 0)}, over the limit of ${describeBytes(MAX_CONFIG_BYTES)}; split the platform or trim the file.`,
        { cause: error },
      );
    if (error instanceof TextFileError)
      throw new ConfigFileError(file, 'not-a-file', `${error.message}; point to a regular file.`, { cause: error });
    throw new ConfigFileError(
      file,
      'unreadable',
      `the file cannot be read (${code ?? messageOf(error)}); check its permissions.`,
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
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (file.toLowerCase().endsWith('.json')) {
    try {
      JSON.parse(text);
    } catch (error) {
      const problem = jsonProblem(text, error);
      throw new ConfigFileError(file, 'syntax', `${problem.message}.`, {
        ...(problem.line === undefined ? {} : { line: problem.line, column: problem.column }),
        cause: error,
      });
    }
  }
  // JSON is YAML too: one parser (linear, duplicate keys refused) reads both, and its events give positions.
  const keys = new YamlPositions(text);
  let root: unknown;
  try {
    root = jsYaml().load(text, { filename: file, schema: jsYaml().CORE_SCHEMA, listener: keys.listener }) ?? {};
  } catch (error) {
    throw syntaxError(file, error);
  }
  if (keys.reusesCollections && expandsTooFar(root)) {
    throw new ConfigFileError(
      file,
      'syntax',
      'its aliases (*name) expand into far more values than the file holds; write the values out instead.',
      { ...keys.firstAlias(), cause: new RangeError('alias expansion limit') },
    );
  }
  const fail = (problem: string, at: { line?: number; column?: number } = {}): never => {
    throw new ConfigFileError(file, 'shape', problem, at);
  };

  if (!isPlainObject(root)) return fail('the file must hold a mapping with "defaults" and "plugins".');
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL.has(key))
      fail(
        `unknown top-level key "${key}"${didYouMean(key, [...TOP_LEVEL]) || '.'} The keys are "defaults" (default plugin per type), "plugins" (settings per plugin key), "timeouts" and "$schema".`,
        keys.keyOf(key),
      );
  }
  const defaults: Partial<Record<PluginType, string>> = {};
  const rawDefaults = own(root, 'defaults') ?? {};
  if (!isPlainObject(rawDefaults))
    fail('"defaults" must map plugin types to plugin names, such as "floe.computes: duckdb".', keys.keyOf('defaults'));
  for (const [type, name] of Object.entries(rawDefaults as Record<string, unknown>)) {
    if (!isPluginType(type))
      fail(
        `"defaults" names the unknown plugin type "${type}"${didYouMean(type, PLUGIN_TYPES) || '.'} The types are ${PLUGIN_TYPES.join(', ')}.`,
        keys.keyOf('defaults', type),
      );
    if (!isValidPluginName(name))
      fail(
        `"defaults.${type}" must be a plugin name such as "duckdb".`,
        keys.locate(['defaults', type], 'value') ?? {},
      );
    defaults[type as PluginType] = name as string;
  }
  const plugins: Record<string, unknown> = {};
  const rawPlugins = own(root, 'plugins') ?? {};
  if (!isPlainObject(rawPlugins))
    fail('"plugins" must map plugin keys such as "floe.computes:duckdb" to their settings.', keys.keyOf('plugins'));
  const locations: Record<string, { line: number; column: number }> = {};
  for (const [key, settings] of Object.entries(rawPlugins as Record<string, unknown>)) {
    if (!key.includes(':') || !isDependencyReference(key)) {
      fail(
        `"${key}" under "plugins" is not a plugin key${keyHint(key) || '.'} Write "<type>:<name>", such as "floe.computes:duckdb".`,
        keys.keyOf('plugins', key),
      );
    }
    plugins[key] = settings ?? {};
    const at = keys.keyOf('plugins', key);
    if (at.line !== undefined) locations[key] = { line: at.line, column: at.column as number };
  }
  const rawTimeouts = own(root, 'timeouts') ?? {};
  if (!isPlainObject(rawTimeouts))
    fail('"timeouts" must map startupMs, shutdownMs, healthMs and drainMs to milliseconds.', keys.keyOf('timeouts'));
  const timeouts: { -readonly [K in keyof PlatformTimeouts]: number } = {};
  for (const [name, value] of Object.entries(rawTimeouts as Record<string, unknown>)) {
    if (!(TIMEOUT_KEYS as readonly string[]).includes(name))
      fail(
        `unknown timeout "${name}"${didYouMean(name, TIMEOUT_KEYS) || '.'} The timeouts are ${TIMEOUT_KEYS.join(', ')}.`,
        keys.keyOf('timeouts', name),
      );
    // A drain may be 0 (no wait); a hook's time limit may not.
    const least = name === 'drainMs' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < least || value > MAX_TIMEOUT_MS)
      fail(
        `"timeouts.${name}" must be a whole number of milliseconds from ${least} to ${MAX_TIMEOUT_MS}.`,
        keys.locate(['timeouts', name], 'value') ?? {},
      );
    timeouts[name as keyof PlatformTimeouts] = value as number;
  }
  return {
    source: file,
    defaults,
    plugins,
    locations,
    positions: new ConfigPositions(text),
    ...(Object.keys(timeouts).length === 0 ? {} : { timeouts }),
  };
}

// A plugin key whose type is a typo of a known one: the key with that type.
function keyHint(key: string): string {
  const colon = key.indexOf(':');
  if (colon === -1) return '';
  const type = closest(key.slice(0, colon), PLUGIN_TYPES);
  return type === undefined ? '' : `; did you mean "${type}${key.slice(colon)}"?`;
}

/** A parser error as a ConfigFileError: a duplicate key, a syntax error, or a parser limit (deep nesting). */
function syntaxError(file: string, error: unknown): ConfigFileError {
  if (error instanceof jsYaml().YAMLException) {
    const yamlError = error as YAMLException;
    const mark = yamlError.mark as { line?: number; column?: number } | undefined;
    const at = mark?.line === undefined ? {} : { line: mark.line + 1, column: (mark.column ?? 0) + 1 };
    const detail = /duplicated mapping key/.test(yamlError.reason)
      ? 'a key appears twice in the same mapping; keep one.'
      : `not valid YAML: ${yamlError.reason}.`;
    return new ConfigFileError(file, 'syntax', detail, { ...at, cause: error });
  }
  const limit = error instanceof RangeError ? 'it nests too deeply' : messageOf(error);
  return new ConfigFileError(file, 'syntax', `cannot be parsed (${limit}).`, { cause: error });
}

/**
 * Whether a parsed document is far larger once its aliases are expanded than what the file holds: the
 * "billion laughs" attack. The parser shares one object per anchor; the settings validator would walk every
 * use. Counts both in one pass over the distinct objects.
 */
function expandsTooFar(root: unknown): boolean {
  const sizes = new Map<object, number>();
  let distinct = 0;
  // Post-order without recursion: an object's expanded size is 1 plus its children's.
  const stack: { value: object; entered: boolean }[] = [];
  if (typeof root === 'object' && root !== null) stack.push({ value: root, entered: false });
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.entered) {
      stack.pop();
      let size = 1;
      for (const child of Object.values(top.value)) {
        size += typeof child === 'object' && child !== null ? (sizes.get(child) ?? 1) : 1;
      }
      sizes.set(top.value, size);
      continue;
    }
    top.entered = true;
    if (sizes.has(top.value)) {
      stack.pop();
      continue;
    }
    distinct++;
    sizes.set(top.value, 1); // a cycle (an alias inside its own anchor) counts once
    for (const child of Object.values(top.value)) {
      if (typeof child === 'object' && child !== null && !sizes.has(child))
        stack.push({ value: child, entered: false });
    }
  }
  const expanded = typeof root === 'object' && root !== null ? (sizes.get(root) ?? 0) : 0;
  return expanded > 4 * distinct + 10_000;
}

/**
 * Where the keys and values of a platform config file are, for error messages: the file's text is read a
 * second time, keeping every node's position, when the first problem asks (reading a file that has no
 * problem costs nothing more).
 */
export class ConfigPositions {
  private read?: YamlPositions;

  constructor(private readonly text: string) {}

  /**
   * Where a plugin's setting is: its value, or its key (`part`); `path` is dotted as ConfigIssue paths are,
   * and `''` is the plugin's key. A setting the file does not hold is located at the key of the nearest
   * mapping that holds it (for a missing setting: the plugin's key).
   */
  setting(pluginKey: string, path: string, part: 'key' | 'value'): SourcePosition | undefined {
    const steps = path === '' ? [] : path.split('.');
    return this.positions().locate(['plugins', pluginKey, ...steps], steps.length === 0 ? 'key' : part);
  }

  /** Where the plugin name `defaults` gives for a type is. */
  defaultFor(type: string): SourcePosition | undefined {
    return this.positions().locate(['defaults', type], 'value');
  }

  private positions(): YamlPositions {
    if (this.read === undefined) {
      const positions = new YamlPositions(this.text, Number.POSITIVE_INFINITY);
      jsYaml().load(this.text, { schema: jsYaml().CORE_SCHEMA, listener: positions.listener });
      this.read = positions;
    }
    return this.read;
  }
}
