import { PluginError } from './errors';

/**
 * The eleven kinds of floe plugin; each value is the entry-point group a package announces plugins under.
 *
 * @example
 * ```ts
 * @inject(PluginType.Compute) @named('duckdb') compute: ComputePlugin
 * ```
 */
export enum PluginType {
  Compute = 'floe.computes',
  Orchestrator = 'floe.orchestrators',
  Catalog = 'floe.catalogs',
  Storage = 'floe.storage',
  TelemetryBackend = 'floe.telemetry_backends',
  LineageBackend = 'floe.lineage_backends',
  DBT = 'floe.dbt',
  SemanticLayer = 'floe.semantic_layers',
  Ingestion = 'floe.ingestion',
  Secrets = 'floe.secrets',
  Identity = 'floe.identity',
}

/** Every plugin type, in declaration order. */
export const PLUGIN_TYPES: readonly PluginType[] = Object.freeze([
  PluginType.Compute,
  PluginType.Orchestrator,
  PluginType.Catalog,
  PluginType.Storage,
  PluginType.TelemetryBackend,
  PluginType.LineageBackend,
  PluginType.DBT,
  PluginType.SemanticLayer,
  PluginType.Ingestion,
  PluginType.Secrets,
  PluginType.Identity,
]);

const GROUPS: ReadonlySet<string> = new Set(PLUGIN_TYPES);

/** Tells whether a value is one of the eleven entry-point groups. */
export function isPluginType(value: unknown): value is PluginType {
  return typeof value === 'string' && GROUPS.has(value);
}

/**
 * Maps an entry-point group such as `'floe.computes'` to its plugin type.
 *
 * @throws PluginError with code `UNKNOWN_PLUGIN_TYPE` when the group is not one of the eleven; the message lists them.
 */
export function pluginTypeFromGroup(group: string): PluginType {
  if (isPluginType(group)) return group;
  throw new PluginError(
    'UNKNOWN_PLUGIN_TYPE',
    `Unknown plugin group ${JSON.stringify(group)}. Use one of: ${PLUGIN_TYPES.join(', ')}.`,
  );
}

/**
 * The identity of a plugin as one string, `'<group>:<name>'`; every map keyed by plugin uses it.
 *
 * @example
 * ```ts
 * pluginKey(PluginType.Compute, 'duckdb') // 'floe.computes:duckdb'
 * ```
 */
export function pluginKey(type: PluginType, name: string): string {
  return `${type}:${name}`;
}

/**
 * Splits a plugin key `'group:name'` into its type and name.
 *
 * @throws PluginError `UNKNOWN_PLUGIN_TYPE` when the part before the last `:` is not a plugin group.
 */
export function parsePluginKey(key: string): { type: PluginType; name: string } {
  const colon = typeof key === 'string' ? key.lastIndexOf(':') : -1;
  const type = colon === -1 ? undefined : key.slice(0, colon);
  if (!isPluginType(type)) {
    throw new PluginError(
      'UNKNOWN_PLUGIN_TYPE',
      `${JSON.stringify(key)} is not a plugin key; write it as "<group>:<name>", such as "floe.computes:duckdb".`,
    );
  }
  return { type, name: key.slice(colon + 1) };
}
