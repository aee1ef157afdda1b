import type { PluginEntry } from '../discovery/plugin-entry';
import type { FloePluginOptions, PluginClass } from '../plugin/floe-plugin';
import type { PluginType } from '../plugin-type';

/** Where a plugin is in its life: found, imported, live, broken, or stopped after being live. */
export type PluginState = 'discovered' | 'loaded' | 'active' | 'failed' | 'stopped';

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

/** The registry's working record of one plugin. Internal: closures look records up by key, never hold them. */
export interface PluginRecord {
  readonly key: string;
  readonly type: PluginType;
  readonly name: string;
  readonly source: 'discovered' | 'registered';
  readonly entry?: PluginEntry;
  cls?: PluginClass;
  options?: FloePluginOptions;
  state: PluginState;
  /** Why the last load or startup failed. */
  error?: unknown;
  /** The validated configuration, once configured or defaulted. */
  config?: object;
  /** The live instance while `state` is `active`. */
  instance?: unknown;
  /** The container binding of the current instance; a fresh one per start attempt. */
  serviceId?: symbol;
  /** The dependencies as keys, set when a plan first resolves them. */
  deps?: string[];
  /** Order in which plugins went live. */
  liveSince?: number;
  loading?: Promise<PluginClass>;
  starting?: Promise<'started' | 'already-live'>;
  /** How the last shutdown ended, set by the deactivation hook. */
  stopOutcome?: { readonly error?: unknown };
}

/** The public view of a record. */
export function toInfo(record: PluginRecord): PluginInfo {
  const options = record.options;
  return Object.freeze({
    key: record.key,
    type: record.type,
    name: record.name,
    state: record.state,
    source: record.source,
    ...(record.entry === undefined ? {} : { packageName: record.entry.packageName }),
    ...(options === undefined
      ? {}
      : { version: options.version, apiVersion: options.apiVersion, dependsOn: options.dependsOn ?? [] }),
  });
}
