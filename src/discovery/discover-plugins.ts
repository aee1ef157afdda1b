import * as path from 'node:path';
import { errorCode, nodeFileSystem, type DiscoveryFileSystem } from './file-system';
import { readManifest } from './manifest';
import { scanPackageFolders, type ScanNote } from './package-scanner';
import type { DiscoveryIssue, PluginEntry } from './plugin-entry';

/** What a discovery pass found: every valid entry (first claim per key) and every problem. */
export interface DiscoveryResult {
  readonly entries: PluginEntry[];
  readonly issues: DiscoveryIssue[];
  /** Skipped folders that are not problems (a package linked twice, a dangling link). */
  readonly notes: ScanNote[];
  readonly packagesScanned: number;
}

/**
 * Finds the plugins announced by the project's package.json and by every package in its node_modules,
 * without importing anything. A key claimed twice keeps its first claim (the project, then packages in
 * name order, and `isTaken` keys before both) and reports the others as `PLUGIN_DUPLICATE`.
 */
export function discoverPlugins(
  rootDir: string,
  options: { files?: DiscoveryFileSystem; isTaken?: (key: string) => string | undefined } = {},
): DiscoveryResult {
  const files = options.files ?? nodeFileSystem;
  const { locations, notes } = scanPackageFolders(rootDir, files);
  const entries: PluginEntry[] = [];
  const issues: DiscoveryIssue[] = [];
  const claimedBy = new Map<string, string>();

  for (const location of locations) {
    const manifestPath = location.dir + path.sep + 'package.json';
    const fallbackName = location.folderName ?? path.basename(location.dir);
    let text: string;
    try {
      text = files.readFile(manifestPath);
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') {
        issues.push({
          code: 'PACKAGE_UNREADABLE',
          packageName: fallbackName,
          path: manifestPath,
          message: `${fallbackName}: package.json could not be read (${code ?? (error as Error).message}); check its permissions.`,
        });
      }
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      issues.push({
        code: 'PACKAGE_JSON_INVALID',
        packageName: fallbackName,
        path: manifestPath,
        message: `${fallbackName}: package.json is not valid JSON (${(error as Error).message}); fix or reinstall the package.`,
      });
      continue;
    }
    const found = readManifest(json, {
      manifestPath,
      packageDir: location.realDir,
      fallbackName,
      isProject: location.isProject,
    });
    issues.push(...found.issues);
    for (const entry of found.entries) {
      const owner = options.isTaken?.(entry.key) ?? claimedBy.get(entry.key);
      if (owner !== undefined) {
        issues.push({
          code: 'PLUGIN_DUPLICATE',
          packageName: entry.packageName,
          path: manifestPath,
          message: `${entry.packageName}: plugin ${entry.key} is already provided by ${owner}; this one is ignored. Uninstall one of the two packages.`,
        });
        continue;
      }
      claimedBy.set(entry.key, `package ${entry.packageName}`);
      entries.push(entry);
    }
  }
  return { entries, issues, notes, packagesScanned: locations.length };
}
