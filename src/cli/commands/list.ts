import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverPlugins } from '../../discovery/discover-plugins';
import { ownLibraryCopies } from '../../discovery/library-copies';
import type { PluginEntry } from '../../discovery/plugin-entry';
import { isPluginType, PLUGIN_TYPES, PluginType } from '../../plugin-type';
import type { PluginDescription } from '../../registry/reports';
import { count, formatProblems, jsonValue, table, type Output } from '../output';
import { UsageError } from '../usage-error';

/** Options of `floe list`. */
export interface ListOptions {
  root?: string;
  json?: boolean;
  type?: string;
}

/**
 * `floe list [--type T]`: every discovered plugin with type, name, version, package and state, and the
 * discovery issues. Imports nothing, and needs neither a container nor the validators: it reads the
 * package.json files only, so it starts as fast as a plain scan of them.
 */
export function listCommand(options: ListOptions, output: Output): number {
  const type = options.type === undefined ? undefined : parseType(options.type);
  const root = path.resolve(options.root ?? process.cwd());
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--root ${root} is not a folder.`);
  const discovery = discoverPlugins(root, { libraries: ownLibraryCopies() });
  const wanted = type === undefined ? new Set(PLUGIN_TYPES) : new Set([type]);
  const plugins = discovery.entries
    .filter((entry) => wanted.has(entry.type))
    .sort((a, b) => PLUGIN_TYPES.indexOf(a.type) - PLUGIN_TYPES.indexOf(b.type) || (a.name < b.name ? -1 : 1))
    .map(describeEntry);
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

/** What is known of a discovered plugin before it is imported (as the registry's `describe` says it). */
function describeEntry(entry: PluginEntry): PluginDescription {
  return {
    key: entry.key,
    type: entry.type,
    name: entry.name,
    state: 'discovered',
    source: 'discovered',
    packageName: entry.packageName,
    ...(entry.packageVersion === undefined ? {} : { packageVersion: entry.packageVersion }),
    entryPoint: entry.target,
    manifestPath: entry.manifestPath,
  };
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
