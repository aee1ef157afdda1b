import type { SettingDescription } from '../config/describe-schema';
import type { DiscoveryIssue } from '../discovery/plugin-entry';
import type { PluginInfo } from '../lifecycle/plugin-life';

export type { ShutdownReport } from '../lifecycle/plugin-lifecycle';

/** What `discoverAll` found. */
export interface DiscoveryReport {
  readonly found: PluginInfo[];
  readonly issues: DiscoveryIssue[];
  /** Folders read: the project and every package in node_modules. */
  readonly packagesScanned: number;
}

/** When one plugin's startup began and ended, in ms from the start of the run. */
export interface StartupTiming {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly durationMs: number;
}

/** What `startAll` did; it never throws for a failing plugin. */
export interface StartupReport {
  /** False when anything failed or was skipped. */
  readonly ok: boolean;
  /** The plugins live at the end, in the order they became live. */
  readonly started: string[];
  readonly failed: { key: string; error: unknown }[];
  /** Plugins not started because a plugin they depend on, directly or not, failed; `blockedBy` names it. */
  readonly skipped: { key: string; blockedBy: string }[];
  readonly durationMs: number;
  /** Per plugin started (or failed) by this run. */
  readonly timings: Record<string, StartupTiming>;
  /** The chain of plugins that determined the total duration, root first. */
  readonly criticalPath: string[];
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

/** What `reconfigure` (or a live `applyConfig`) did. */
export interface ReconfigureReport {
  /** False when anything failed to stop or start (then the old settings are back). */
  readonly ok: boolean;
  /** The plugins stopped and started again that are live at the end, in the order they went live. */
  readonly restarted: string[];
  /** True when the new settings failed to start and the old ones were put back. */
  readonly rolledBack: boolean;
  readonly failed: { key: string; error: unknown }[];
}

/** What a live `applyConfig` did: the restart, and the validated settings of every plugin listed. */
export interface LiveConfigReport extends ReconfigureReport {
  readonly applied: Record<string, object | undefined>;
}
