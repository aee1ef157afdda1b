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
  const keys = new KeyPositions(text);
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
        `unknown top-level key "${key}"; the keys are "defaults" (default plugin per type), "plugins" (settings per plugin key), "timeouts" and "$schema".`,
        keys.of(key),
      );
  }
  const defaults: Partial<Record<PluginType, string>> = {};
  const rawDefaults = own(root, 'defaults') ?? {};
  if (!isPlainObject(rawDefaults))
    fail('"defaults" must map plugin types to plugin names, such as "floe.computes: duckdb".', keys.of('defaults'));
  for (const [type, name] of Object.entries(rawDefaults as Record<string, unknown>)) {
    if (!isPluginType(type))
      fail(
        `"defaults" names the unknown plugin type "${type}"; use one of ${PLUGIN_TYPES.join(', ')}.`,
        keys.of('defaults', type),
      );
    if (!isValidPluginName(name))
      fail(`"defaults.${type}" must be a plugin name such as "duckdb".`, keys.of('defaults', type));
    defaults[type as PluginType] = name as string;
  }
  const plugins: Record<string, unknown> = {};
  const rawPlugins = own(root, 'plugins') ?? {};
  if (!isPlainObject(rawPlugins))
    fail('"plugins" must map plugin keys such as "floe.computes:duckdb" to their settings.', keys.of('plugins'));
  const locations: Record<string, { line: number; column: number }> = {};
  for (const [key, settings] of Object.entries(rawPlugins as Record<string, unknown>)) {
    if (!key.includes(':') || !isDependencyReference(key)) {
      fail(
        `"${key}" under "plugins" is not a plugin key; write "<type>:<name>", such as "floe.computes:duckdb".`,
        keys.of('plugins', key),
      );
    }
    plugins[key] = settings ?? {};
    const at = keys.of('plugins', key);
    if (at.line !== undefined) locations[key] = { line: at.line, column: at.column as number };
  }
  const rawTimeouts = own(root, 'timeouts') ?? {};
  if (!isPlainObject(rawTimeouts))
    fail('"timeouts" must map startupMs, shutdownMs, healthMs and drainMs to milliseconds.', keys.of('timeouts'));
  const timeouts: { -readonly [K in keyof PlatformTimeouts]: number } = {};
  for (const [name, value] of Object.entries(rawTimeouts as Record<string, unknown>)) {
    if (!(TIMEOUT_KEYS as readonly string[]).includes(name))
      fail(`unknown timeout "${name}"; use ${TIMEOUT_KEYS.join(', ')}.`, keys.of('timeouts', name));
    // A drain may be 0 (no wait); a hook's time limit may not.
    const least = name === 'drainMs' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < least || value > MAX_TIMEOUT_MS)
      fail(
        `"timeouts.${name}" must be a whole number of milliseconds from ${least} to ${MAX_TIMEOUT_MS}.`,
        keys.of('timeouts', name),
      );
    timeouts[name as keyof PlatformTimeouts] = value as number;
  }
  return {
    source: file,
    defaults,
    plugins,
    locations,
    ...(Object.keys(timeouts).length === 0 ? {} : { timeouts }),
  };
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

/** A node of the parsed document as the parser's events show it; its children only near the top. */
interface Frame {
  readonly start: number;
  readonly keep: boolean;
  /** The children's start offsets, values and frames, in order: a mapping's alternate key and value. */
  readonly starts: number[];
  readonly results: unknown[];
  readonly frames: (Frame | undefined)[];
}

/**
 * Where the keys of the top-level mapping, and of the mappings directly under it, begin: rebuilt from the
 * parser's open and close events in one pass (children are kept for those two levels only), and indexed on
 * first use. Also tells whether an alias reused a collection (looked for only when the text has an anchor).
 */
class KeyPositions {
  private readonly stack: Frame[] = [];
  private root?: Frame;
  /** 1 when the document is a block node wrapping a flow collection (a JSON document): one level more. */
  private shift = 0;
  private readonly mayAlias: boolean;
  private readonly closed = new WeakSet<object>();
  private alias?: number;
  private lineStarts?: number[];
  private readonly index = new Map<string, Map<string, number>>();

  constructor(private readonly text: string) {
    this.mayAlias = text.includes('&');
  }

  /** Whether an alias (`*name`) stands for a mapping or a sequence defined elsewhere. */
  get reusesCollections(): boolean {
    return this.alias !== undefined;
  }

  readonly listener = (type: 'open' | 'close', state: { position: number; result: unknown }): void => {
    const depth = this.stack.length;
    if (type === 'open') {
      // Three levels keep their children: the document may be a wrapper around the top-level mapping.
      this.stack.push({ start: state.position, keep: depth < 3, starts: [], results: [], frames: [] });
      return;
    }
    const frame = this.stack.pop() as Frame;
    const result = state.result;
    if (this.mayAlias && typeof result === 'object' && result !== null) {
      if (this.closed.has(result)) this.alias ??= frame.start;
      else this.closed.add(result);
    }
    const parent = this.stack[depth - 2];
    if (parent === undefined) {
      this.root = frame;
      if (frame.results.length === 1 && frame.results[0] === result) this.shift = 1;
    } else if (parent.keep) {
      parent.starts.push(frame.start);
      parent.results.push(result);
      parent.frames.push(frame.keep ? frame : undefined);
    }
  };

  /** The line and column of `top` (or of `nested` inside it), when known. */
  of(top: string, nested?: string): { line?: number; column?: number } {
    const offset = nested === undefined ? this.keys('')?.get(top) : this.keys(top)?.get(nested);
    return offset === undefined ? {} : this.position(offset);
  }

  /** Where the first alias that reuses a collection is. */
  firstAlias(): { line?: number; column?: number } {
    return this.alias === undefined ? {} : this.position(this.alias);
  }

  // The keys of the root mapping (section '') or of the mapping under one of its keys, by name.
  private keys(section: string): Map<string, number> | undefined {
    const cached = this.index.get(section);
    if (cached !== undefined) return cached;
    const document = this.shift === 1 ? this.root?.frames[0] : this.root;
    const mapping = section === '' ? document : valueFrame(document, section);
    if (mapping === undefined) return undefined;
    const keys = new Map<string, number>();
    for (let i = 0; i + 1 < mapping.results.length; i += 2) {
      const name = String(mapping.results[i]);
      if (!keys.has(name)) keys.set(name, mapping.starts[i]);
    }
    this.index.set(section, keys);
    return keys;
  }

  private position(offset: number): { line: number; column: number } {
    // Events begin at the whitespace before a node: point at its first character.
    while (offset < this.text.length && /\s/.test(this.text[offset])) offset++;
    const starts = (this.lineStarts ??= lineStarts(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  }
}

function valueFrame(mapping: Frame | undefined, key: string): Frame | undefined {
  if (mapping === undefined) return undefined;
  for (let i = 0; i + 1 < mapping.results.length; i += 2) {
    if (String(mapping.results[i]) === key) return mapping.frames[i + 1];
  }
  return undefined;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
