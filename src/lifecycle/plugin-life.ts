import type { PluginEntry } from '../discovery/plugin-entry';
import type { FloePluginOptions, PluginClass } from '../plugin/floe-plugin';
import type { PluginType } from '../plugin-type';

/**
 * Where a plugin is in its life: found, imported, starting, live, stopping, stopped after being live, or
 * broken (its import, configuration or startup failed).
 */
export type PluginState = 'discovered' | 'loaded' | 'starting' | 'active' | 'stopping' | 'stopped' | 'failed';

/** What the registry knows about one plugin; `version`, `apiVersion` and `dependsOn` once its class is loaded. */
export interface PluginInfo {
  readonly key: string;
  readonly type: PluginType;
  readonly name: string;
  readonly state: PluginState;
  readonly source: 'discovered' | 'registered';
  readonly packageName?: string;
  readonly version?: string;
  readonly apiVersion?: string;
  /** As declared in `@FloePlugin`. */
  readonly dependsOn?: readonly string[];
}

/** A plugin's life as others may read it; only PluginLifecycle changes it. */
export interface PluginLife {
  readonly state: PluginState;
  /** The class, once imported and checked. */
  readonly cls?: PluginClass;
  readonly options?: FloePluginOptions;
  /** Why the plugin is `failed` (or why its last start was cancelled). */
  readonly error?: unknown;
  /** The live instance while `state` is `active`. */
  readonly instance?: unknown;
}

/** One plugin as the registry holds it: its identity, and its life. */
export interface PluginRecord {
  readonly key: string;
  readonly type: PluginType;
  readonly name: string;
  readonly source: 'discovered' | 'registered';
  readonly entry?: PluginEntry;
  /** The record's position among all records made by its registry; planners index private arrays by it. */
  readonly index: number;
  readonly life: PluginLife;
}
