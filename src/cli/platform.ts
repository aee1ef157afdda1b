import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPlatformConfig, loadPlatformConfig, type PlatformConfig } from '../config/platform-config';
import { createDefaultLogger, createSilentLogger } from '../logging';
import { PluginRegistry } from '../registry/plugin-registry';
import type { DiscoveryReport } from '../registry/reports';
import { UsageError } from './usage-error';

/** A platform opened by a command: its registry, after discovery. */
export interface Platform {
  readonly root: string;
  readonly registry: PluginRegistry;
  readonly discovery: DiscoveryReport;
}

/**
 * Opens the platform in `root` and discovers its plugins. The CLI reports problems itself, so logs stay
 * off unless `FLOE_LOG_LEVEL` asks for them (they go to stderr).
 *
 * @throws UsageError when `root` is not a folder.
 */
export function openPlatform(root: string | undefined): Platform {
  const dir = path.resolve(root ?? process.cwd());
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--root ${dir} is not a folder.`);
  const logger = process.env.FLOE_LOG_LEVEL === undefined ? createSilentLogger() : createDefaultLogger();
  const registry = new PluginRegistry({ rootDir: dir, logger });
  return { root: dir, registry, discovery: registry.discoverAll() };
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
