import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPlatformConfig, loadPlatformConfig, type PlatformConfig } from '../config/platform-config';
import { createDefaultLogger, createSilentLogger, tapEvents } from '../logging';
import { PluginRegistry } from '../registry/plugin-registry';
import type { RegistryTimeouts } from '../registry/registry-options';
import type { DiscoveryReport } from '../registry/reports';
import type { Progress } from './progress';
import { UsageError } from './usage-error';

/** What opening a platform needs from a command's options. */
export interface PlatformOptions {
  root?: string;
  /** The config file to read: a path; `true` for floe.config.* in the root; `undefined` reads none. */
  config?: string | true;
  /** `--startup-timeout`, `--shutdown-timeout`, `--health-timeout`, in milliseconds; they win over the file. */
  startupTimeout?: number;
  shutdownTimeout?: number;
  healthTimeout?: number;
}

/** A platform prepared by a command: its registry (nothing discovered yet), and its config file if it read one. */
export interface PreparedPlatform {
  readonly root: string;
  readonly registry: PluginRegistry;
  readonly config?: PlatformConfig;
  /** Why the config file could not be read (a ConfigFileError), when it could not. */
  readonly configError?: unknown;
}

/** A platform opened by a command: its registry after discovery, and its config file if it read one. */
export interface Platform extends PreparedPlatform {
  readonly discovery: DiscoveryReport;
}

/**
 * Opens the platform in the root folder: reads its config file first (its timeouts apply to the registry,
 * below the flags), then discovers its plugins. The CLI reports problems itself, so logs stay off unless
 * `FLOE_LOG_LEVEL` asks for them (they go to stderr).
 *
 * @throws UsageError when the root is not a folder.
 */
export function openPlatform(options: PlatformOptions = {}, progress?: Progress): Platform {
  const platform = preparePlatform(options, progress);
  return { ...platform, discovery: platform.registry.discoverAll() };
}

/**
 * Prepares the platform in the root folder as `openPlatform` does, but discovers nothing yet (`floe serve`
 * binds its port first).
 *
 * @throws UsageError when the root is not a folder.
 */
export function preparePlatform(
  options: PlatformOptions = {},
  progress?: Progress,
  onEvent?: (event: string, plugin: string) => void,
): PreparedPlatform {
  const dir = path.resolve(options.root ?? process.cwd());
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--root ${dir} is not a folder.`);
  let config: PlatformConfig | undefined;
  let configError: unknown;
  if (options.config !== undefined) {
    try {
      config = readPlatformConfig(dir, options.config === true ? undefined : options.config);
    } catch (error) {
      configError = error;
    }
  }
  // drainMs is `floe serve`'s, not a hook's time limit.
  const { drainMs: _drainMs, ...hookTimeouts } = config?.timeouts ?? {};
  const timeouts: RegistryTimeouts = { ...hookTimeouts };
  if (options.startupTimeout !== undefined) timeouts.startupMs = options.startupTimeout;
  if (options.shutdownTimeout !== undefined) timeouts.shutdownMs = options.shutdownTimeout;
  if (options.healthTimeout !== undefined) timeouts.healthMs = options.healthTimeout;
  const quiet = process.env.FLOE_LOG_LEVEL === undefined ? createSilentLogger() : createDefaultLogger();
  const tapped = onEvent === undefined ? quiet : tapEvents(quiet, onEvent);
  const logger = progress === undefined ? tapped : progress.logger(tapped);
  const registry = new PluginRegistry({ rootDir: dir, logger, timeouts });
  return {
    root: dir,
    registry,
    ...(config === undefined ? {} : { config }),
    ...(configError === undefined ? {} : { configError }),
  };
}

/**
 * The platform configuration to use: `--config FILE`, else `floe.config.*` in the root, else none.
 *
 * @throws ConfigFileError for a file that cannot be used.
 */
export function readPlatformConfig(root: string, file: string | undefined): PlatformConfig | undefined {
  const chosen = file === undefined ? findPlatformConfig(root) : path.resolve(file);
  return chosen === undefined ? undefined : loadPlatformConfig(chosen);
}

/** The key of every plugin the registry knows, by type in PLUGIN_TYPES order, then by name. */
export function pluginKeys(registry: PluginRegistry): string[] {
  return Object.entries(registry.listAll()).flatMap(([type, names]) => names.map((name) => `${type}:${name}`));
}
