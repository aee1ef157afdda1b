import { isPluginType, PLUGIN_TYPES, PluginType } from '../../plugin-type';
import { count, formatProblems, jsonValue, table, type Output } from '../output';
import { openPlatform } from '../platform';
import { UsageError } from '../usage-error';

/** Options of `floe list`. */
export interface ListOptions {
  root?: string;
  json?: boolean;
  type?: string;
}

/** `floe list [--type T]`: every discovered plugin with type, name, version, package and state, and the discovery issues. Imports nothing. */
export function listCommand(options: ListOptions, output: Output): number {
  const type = options.type === undefined ? undefined : parseType(options.type);
  const { root, registry, discovery } = openPlatform({ ...(options.root === undefined ? {} : { root: options.root }) });
  const types = type === undefined ? PLUGIN_TYPES : [type];
  const plugins = types.flatMap((t) => registry.list(t).map((info) => registry.describe(t, info.name)));
  if (options.json === true) {
    output.out(JSON.stringify(jsonValue({ root, plugins, issues: discovery.issues }), null, 2));
    return 0;
  }
  output.out(`${count(plugins.length, 'plugin')} in ${root} (${count(discovery.packagesScanned, 'package')} scanned)`);
  if (plugins.length > 0) {
    const rows = plugins.map((p) => [
      p.type,
      p.name,
      p.version ?? p.packageVersion ?? '-',
      p.packageName ?? '(registered)',
      p.state,
    ]);
    output.out(`\n${table(['TYPE', 'NAME', 'VERSION', 'PACKAGE', 'STATE'], rows)}`);
  }
  if (discovery.issues.length > 0) {
    output.out(`\nDiscovery issues (${discovery.issues.length}):`);
    output.out(
      formatProblems(discovery.issues.map((issue) => ({ code: issue.code, path: issue.path, message: issue.message }))),
    );
  }
  return 0;
}

/** Reads a plugin type given as its group (`floe.computes`) or its name (`Compute`, `compute`). */
export function parseType(value: string): PluginType {
  if (isPluginType(value)) return value;
  const byName = Object.entries(PluginType).find(([name]) => name.toLowerCase() === value.toLowerCase());
  if (byName !== undefined) return byName[1];
  throw new UsageError(
    `"${value}" is not a plugin type; use one of ${PLUGIN_TYPES.join(', ')} (or Compute, Catalog, ...).`,
  );
}
