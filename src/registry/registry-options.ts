import type { Container } from 'inversify';
import type { Logger } from 'winston';
import { monotonicMs } from '../clock';
import type { DiscoveryFileSystem } from '../discovery/file-system';
import type { LoaderIO } from '../discovery/plugin-loader';
import { PluginError } from '../errors';
import { createDefaultLogger } from '../logging';
import { isValidPluginName } from '../plugin/plugin-name';
import { isPluginType, type PluginType } from '../plugin-type';
import { FLOE_PLUGIN_API_VERSION, parseApiVersion } from '../version';

/** Time limits of each hook, in milliseconds; `Infinity` means no limit. */
export interface RegistryTimeouts {
  /** Importing a plugin module (only asynchronous imports can be interrupted). Default 30000. */
  loadMs?: number;
  startupMs?: number;
  shutdownMs?: number;
  healthMs?: number;
}

/** How a PluginRegistry is set up; every option has a default. */
export interface PluginRegistryOptions {
  /** The project whose package.json and node_modules are scanned; default `process.cwd()`. */
  rootDir?: string;
  /** The plugin API version the platform provides; default FLOE_PLUGIN_API_VERSION. */
  apiVersion?: string;
  /** The Inversify container to bind into; default a new one. */
  container?: Container;
  /** Default: winston to stderr at `FLOE_LOG_LEVEL` (else `warn`). */
  logger?: Logger;
  timeouts?: RegistryTimeouts;
  /** The plugin a bare `@inject(type)` gets, per type. */
  defaults?: Partial<Record<PluginType, string>>;
  /** File access for discovery (tests pass a fake). */
  files?: DiscoveryFileSystem;
  /** Module loading (tests may replace parts). */
  loader?: LoaderIO;
  /** A monotonic clock in milliseconds; default `performance.now`. */
  now?: () => number;
}

/** Options with every default filled in and checked. */
export interface ResolvedOptions {
  readonly rootDir: string;
  readonly apiVersion: string;
  /** The container given, if any: without one the registry makes its own when it is first needed. */
  readonly container?: Container;
  readonly logger: Logger;
  readonly timeouts: Required<RegistryTimeouts>;
  readonly defaults: Partial<Record<PluginType, string>>;
  readonly files?: DiscoveryFileSystem;
  readonly loader: LoaderIO;
  readonly now: () => number;
}

const DEFAULT_TIMEOUTS: Required<RegistryTimeouts> = {
  loadMs: 30_000,
  startupMs: 30_000,
  shutdownMs: 30_000,
  healthMs: 5_000,
};
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'rootDir',
  'apiVersion',
  'container',
  'logger',
  'timeouts',
  'defaults',
  'files',
  'loader',
  'now',
]);
// setTimeout fires at once for delays above 2^31 - 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Fills in and checks registry options.
 *
 * @throws PluginError `REGISTRY_OPTIONS_INVALID` for a bad timeout or default, InvalidVersionError for a bad apiVersion.
 */
export function resolveOptions(options: PluginRegistryOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) invalid('options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) invalid(`unknown option "${key}"; the options are ${[...KNOWN_OPTIONS].join(', ')}`);
  }
  const apiVersion = options.apiVersion ?? FLOE_PLUGIN_API_VERSION;
  parseApiVersion(apiVersion);
  const timeouts = { ...DEFAULT_TIMEOUTS };
  for (const [name, value] of Object.entries(options.timeouts ?? {})) {
    if (!Object.hasOwn(DEFAULT_TIMEOUTS, name))
      invalid(`unknown timeout "${name}"; use ${Object.keys(DEFAULT_TIMEOUTS).join(', ')}`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value > 0) || (value > MAX_TIMER_MS && value !== Infinity)) {
      invalid(`timeouts.${name} must be a positive number of milliseconds up to ${MAX_TIMER_MS}, or Infinity`);
    }
    timeouts[name as keyof RegistryTimeouts] = value;
  }
  const defaults: Partial<Record<PluginType, string>> = {};
  for (const [type, name] of Object.entries(options.defaults ?? {})) {
    if (!isPluginType(type)) invalid(`defaults: "${type}" is not a plugin type`);
    if (!isValidPluginName(name)) invalid(`defaults["${type}"]: ${JSON.stringify(name)} is not a plugin name`);
    defaults[type as PluginType] = name;
  }
  return {
    rootDir: options.rootDir ?? process.cwd(),
    apiVersion,
    ...(options.container === undefined ? {} : { container: options.container }),
    logger: options.logger ?? createDefaultLogger(),
    timeouts,
    defaults,
    ...(options.files === undefined ? {} : { files: options.files }),
    loader: options.loader ?? {},
    now: options.now ?? monotonicMs,
  };
}

function invalid(problem: string): never {
  throw new PluginError('REGISTRY_OPTIONS_INVALID', `Invalid PluginRegistry options: ${problem}.`);
}
