import * as path from 'node:path';
import { errorCode, nodeFileSystem, type DiscoveryFileSystem } from './file-system';
import { isPlainObject, readManifest } from './manifest';
import { scanPackageFolders, type PackageLocation, type ScanNote } from './package-scanner';
import type { DiscoveryIssue, PluginEntry } from './plugin-entry';
import { messageOf } from '../errors';
import { describeBytes, jsonProblem, MAX_MANIFEST_BYTES } from '../text-file';
import { type LibraryCopies, libraryResolver } from './library-copies';

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
  options: {
    files?: DiscoveryFileSystem;
    isTaken?: (key: string) => string | undefined;
    /** The shared libraries' copies the platform uses: a plugin package that resolves another is an issue. */
    libraries?: Readonly<Record<string, string>>;
  } = {},
): DiscoveryResult {
  const files = options.files ?? nodeFileSystem;
  const { locations, notes } = scanPackageFolders(rootDir, files);
  const copiesFrom = libraryResolver(files, Object.keys(options.libraries ?? {}));
  // Packages are read in the order their folders were listed; only those with something to say (usually
  // a few among thousands) are then put in name order, so that claims and issues never depend on the disk.
  const found: PackageFindings[] = [];
  for (const location of locations) {
    const findings = readPackage(location, files);
    if (findings === undefined) continue;
    const { entries, issues } = findings;
    if (entries.length > 0 && !location.isProject && options.libraries !== undefined) {
      issues.push(
        ...duplicateLibraries(
          copiesFrom(location.realDir),
          findings.manifestPath,
          entries[0].packageName,
          location.realDir,
          options.libraries,
        ),
      );
    }
    found.push(findings);
  }
  found.sort(inNameOrder);

  const entries: PluginEntry[] = [];
  const issues: DiscoveryIssue[] = [];
  const claimedBy = new Map<string, string>();
  for (const findings of found) {
    issues.push(...findings.issues);
    for (const entry of findings.entries) {
      const owner = options.isTaken?.(entry.key) ?? claimedBy.get(entry.key);
      if (owner !== undefined) {
        issues.push({
          code: 'PLUGIN_DUPLICATE',
          packageName: entry.packageName,
          path: findings.manifestPath,
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

/** What one package's package.json announces, and what is wrong with it. */
interface PackageFindings {
  readonly location: PackageLocation;
  readonly manifestPath: string;
  readonly entries: readonly PluginEntry[];
  readonly issues: DiscoveryIssue[];
}

// The project first, then packages by folder name.
function inNameOrder(a: PackageFindings, b: PackageFindings): number {
  if (a.location.isProject !== b.location.isProject) return a.location.isProject ? -1 : 1;
  const x = a.location.folderName ?? '';
  const y = b.location.folderName ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

// Reads one package.json: `undefined` when there is none, or when it announces nothing and is valid.
function readPackage(location: PackageLocation, files: DiscoveryFileSystem): PackageFindings | undefined {
  const manifestPath = location.dir + path.sep + 'package.json';
  const fallbackName = location.folderName ?? path.basename(location.dir);
  let text: string;
  try {
    text = files.readFile(manifestPath);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    return { location, manifestPath, entries: [], issues: [unreadable(manifestPath, fallbackName, code, error)] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const issue: DiscoveryIssue = {
      code: 'PACKAGE_JSON_INVALID',
      packageName: fallbackName,
      path: manifestPath,
      message: `${fallbackName}: package.json is ${jsonProblem(text, error).message}; fix or reinstall the package.`,
    };
    return { location, manifestPath, entries: [], issues: [issue] };
  }
  // Most packages announce nothing: those need no closer look.
  if (isPlainObject(json) && !Object.hasOwn(json, 'floe')) return undefined;
  const { entries, issues } = readManifest(json, {
    manifestPath,
    packageDir: location.realDir,
    fallbackName,
    isProject: location.isProject,
  });
  return entries.length === 0 && issues.length === 0 ? undefined : { location, manifestPath, entries, issues };
}

// A package.json that exists but cannot be used: not a regular file, too large, or not readable.
function unreadable(
  manifestPath: string,
  packageName: string,
  code: string | undefined,
  error: unknown,
): DiscoveryIssue {
  if (code === 'ENOTREG') {
    return {
      code: 'PACKAGE_NOT_A_FILE',
      packageName,
      path: manifestPath,
      message: `${packageName}: package.json is not a regular file (a FIFO, device or socket, perhaps through a symlink); it was not read. Replace it with the package's real package.json or reinstall the package.`,
    };
  }
  if (code === 'EFBIG') {
    const size = (error as { size?: unknown }).size;
    return {
      code: 'PACKAGE_TOO_LARGE',
      packageName,
      path: manifestPath,
      message: `${packageName}: package.json is ${typeof size === 'number' ? describeBytes(size) : 'too large'}, over the limit of ${describeBytes(MAX_MANIFEST_BYTES)}; it was not read. Reinstall the package.`,
    };
  }
  return {
    code: 'PACKAGE_UNREADABLE',
    packageName,
    path: manifestPath,
    message: `${packageName}: package.json could not be read (${code ?? messageOf(error)}); check its permissions.`,
  };
}

// A plugin package that would load its own copy of a shared library sees another container's metadata. One
// issue per package names every such copy, and the fix that applies: a folder installed as a link brings its
// own development install (install it packed), while a copy under the platform's node_modules is a
// dependency of the package (make it a peer).
function duplicateLibraries(
  copies: LibraryCopies,
  manifestPath: string,
  packageName: string,
  packageDir: string,
  libraries: Readonly<Record<string, string>>,
): DiscoveryIssue[] {
  const linkedFolder = !packageDir.split(path.sep).includes('node_modules');
  const ownInstall = packageDir + path.sep + 'node_modules' + path.sep;
  const fromFolder: string[] = [];
  const fromDependencies: string[] = [];
  for (const [library, shared] of Object.entries(libraries)) {
    const copy = copies[library];
    if (copy === undefined || copy === shared) continue;
    const described = `${library} (${copy}, the platform's is ${shared})`;
    (linkedFolder && copy.startsWith(ownInstall) ? fromFolder : fromDependencies).push(described);
  }
  if (fromFolder.length === 0 && fromDependencies.length === 0) return [];
  const sentences = [
    `${packageName}: loads its own ${[...fromFolder, ...fromDependencies].length === 1 ? 'copy' : 'copies'} of ${[...fromFolder, ...fromDependencies].join(', ')}; its plugins would not share the platform's container and metadata.`,
  ];
  if (fromFolder.length > 0) {
    sentences.push(
      `It is linked from the folder ${packageDir} (installed from a folder), and that folder's own node_modules holds ${fromFolder.length === 1 ? 'that copy' : 'those copies'}: install it packed instead (npm install --install-links ${packageDir}, or npm pack there and install the .tgz), or remove ${packageDir}${path.sep}node_modules.`,
    );
  }
  if (fromDependencies.length > 0) {
    const names = fromDependencies.map((described) => described.slice(0, described.indexOf(' (')));
    sentences.push(
      `Make ${names.join(', ')} ${names.length === 1 ? 'a peer dependency' : 'peer dependencies'} of ${packageName} (not ${names.length === 1 ? 'a dependency' : 'dependencies'}) and reinstall.`,
    );
  }
  return [{ code: 'DUPLICATE_LIBRARY', packageName, path: manifestPath, message: sentences.join(' ') }];
}
