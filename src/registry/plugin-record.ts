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
  /** The dependencies as keys, set when a plan resolves them; kept by snapshots for shutdown order. */
  deps?: string[];
  /** The dependencies as records, valid while the catalog's version is `depsVersion`. */
  depRecords?: PluginRecord[];
  /** The `dependsOn` entries that named no known plugin at `depsVersion`. */
  missing?: string[];
  depsVersion?: number;
  /** The record's position in the catalog's key order, set each time that order is computed. */
  rank?: number;
  /** The last public view handed out; reused while state and loaded options are unchanged. */
  info?: PluginInfo;
  /** Scratch space of one plan: the plan that last visited this record, and the record's index in it. */
  planMark?: number;
  planIndex?: number;
  /** Order in which plugins went live. */
  liveSince?: number;
  loading?: Promise<PluginClass>;
  starting?: Promise<'started' | 'already-live'>;
  /** How the last shutdown ended, set by the deactivation hook. */
  stopOutcome?: { readonly error?: unknown };
}

/** A new record with every field present, so that all records share one shape (property access stays fast for large catalogs). */
export function createRecord(
  init: Pick<PluginRecord, 'key' | 'type' | 'name' | 'source' | 'state'> & Partial<PluginRecord>,
): PluginRecord {
  return {
    key: init.key,
    type: init.type,
    name: init.name,
    source: init.source,
    entry: init.entry,
    cls: init.cls,
    options: init.options,
    state: init.state,
    error: init.error,
    config: init.config,
    instance: init.instance,
    serviceId: init.serviceId,
    deps: init.deps,
    depRecords: undefined,
    missing: undefined,
    depsVersion: undefined,
    rank: undefined,
    planMark: undefined,
    planIndex: undefined,
    info: undefined,
    liveSince: init.liveSince,
    loading: undefined,
    starting: undefined,
    stopOutcome: init.stopOutcome,
  };
}

/**
 * The public view of a record, frozen. Only `state` and the loaded options ever change on a record, so a
 * view is reused until one of them does: listing a large catalog twice allocates nothing new.
 */
export function toInfo(record: PluginRecord): PluginInfo {
  const cached = record.info;
  if (
    cached !== undefined &&
    cached.state === record.state &&
    (cached.version === undefined) === (record.options === undefined)
  ) {
    return cached;
  }
  const info: { -readonly [K in keyof PluginInfo]: PluginInfo[K] } = {
    key: record.key,
    type: record.type,
    name: record.name,
    state: record.state,
    source: record.source,
  };
  if (record.entry !== undefined) info.packageName = record.entry.packageName;
  const options = record.options;
  if (options !== undefined) {
    info.version = options.version;
    info.apiVersion = options.apiVersion;
    info.dependsOn = options.dependsOn ?? [];
  }
  record.info = Object.freeze(info);
  return record.info;
}
