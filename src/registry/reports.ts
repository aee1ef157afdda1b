import type { SettingDescription } from '../config/describe-schema';
import type { DiscoveryIssue } from '../discovery/plugin-entry';
import type { PluginInfo } from '../lifecycle/plugin-life';

import type { ReconfigureReport } from '../lifecycle/reports';

export type { ShutdownReport } from '../lifecycle/plugin-lifecycle';
export type { ReconfigureReport, StartupReport, StartupTiming } from '../lifecycle/reports';
export type { RefreshReport } from '../lifecycle/refresh-operation';

/** What `discoverAll` found. */
export interface DiscoveryReport {
  readonly found: PluginInfo[];
  readonly issues: DiscoveryIssue[];
  /** Folders read: the project and every package in node_modules. */
  readonly packagesScanned: number;
}

/** Everything the registry knows about one plugin (see `describe`). */
export interface PluginDescription extends PluginInfo {
  description?: string;
  /** The version in the plugin package's package.json. */
  packageVersion?: string;
  /** The entry point as written in package.json, such as `'./dist/duckdb.js#DuckDBPlugin'`. */
  entryPoint?: string;
  manifestPath?: string;
  /** The dependencies resolved to keys. */
  dependencies?: string[];
  /** `dependsOn` entries that name no known plugin. */
  missing?: string[];
  /** Why the dependencies could not be resolved (an ambiguous bare name). */
  dependencyError?: { code?: string; message: string };
  /** The config schema's class name. */
  configSchema?: string;
  /** The schema's settings with their defaults and rules. */
  settings?: SettingDescription[];
  config?: object;
  /** Why the plugin is `failed`. */
  error?: { code?: string; message: string };
}

/**
 * What a live `applyConfig` did: the restart, the validated settings of every plugin listed, and the
 * expected plugins that were not live and were started again once the change was applied.
 */
export interface LiveConfigReport extends ReconfigureReport {
  readonly applied: Record<string, object | undefined>;
  /** Expected plugins that were not live (failed, skipped) and are live after the change, in the order they went live. */
  readonly started: string[];
}
