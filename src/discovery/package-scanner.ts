import * as path from 'node:path';
import { errorCode, type DiscoveryFileSystem, type EntryKind } from './file-system';

/** A folder that may hold a package, in the order discovery reads them. */
export interface PackageLocation {
  /** The package's folder as found (under `node_modules`, or the project root). */
  readonly dir: string;
  /** The folder with every symlink resolved: two locations with the same real path are one package. */
  readonly realDir: string;
  /** The name the folder gives the package: `'duckdb'`, `'@acme/duckdb'`; `undefined` for the project itself. */
  readonly folderName?: string;
  readonly isProject: boolean;
}

/** Something the scan noticed and skipped. */
export interface ScanNote {
  readonly dir: string;
  readonly reason: 'duplicate-real-path' | 'unreadable' | 'dangling-link';
  readonly detail: string;
}

/**
 * Lists the project folder, then every package folder directly in `<rootDir>/node_modules` and in its
 * `@scope/` folders, in package-name order. Symlinks are followed once and deduplicated by real path,
 * so a link cycle or a package linked twice is read once. Nested node_modules are not entered.
 */
export function scanPackageFolders(
  rootDir: string,
  files: DiscoveryFileSystem,
): { locations: PackageLocation[]; notes: ScanNote[] } {
  const root = path.resolve(rootDir);
  const notes: ScanNote[] = [];
  const seen = new Set<string>();
  const locations: PackageLocation[] = [];
  const rootReal = tryRealPath(files, root) ?? root;
  seen.add(rootReal);
  locations.push({ dir: root, realDir: rootReal, isProject: true });

  const nodeModules = join(root, 'node_modules');
  const nodeModulesReal = tryRealPath(files, nodeModules);
  if (nodeModulesReal === undefined) return { locations, notes };

  const candidates: { folderName: string; dir: string; realDir: string | undefined }[] = [];
  for (const entry of listDir(files, nodeModules, notes)) {
    if (entry.name.startsWith('.')) continue;
    const dir = join(nodeModules, entry.name);
    const realDir = resolveFolder(files, entry.kind, dir, join(nodeModulesReal, entry.name), notes);
    if (realDir === undefined) continue;
    if (!entry.name.startsWith('@')) {
      candidates.push({ folderName: entry.name, dir, realDir });
      continue;
    }
    for (const scoped of listDir(files, dir, notes)) {
      if (scoped.name.startsWith('.')) continue;
      const scopedDir = join(dir, scoped.name);
      const scopedReal = resolveFolder(files, scoped.kind, scopedDir, join(realDir, scoped.name), notes);
      if (scopedReal !== undefined)
        candidates.push({ folderName: `${entry.name}/${scoped.name}`, dir: scopedDir, realDir: scopedReal });
    }
  }

  candidates.sort((a, b) => (a.folderName < b.folderName ? -1 : a.folderName > b.folderName ? 1 : 0));
  for (const candidate of candidates) {
    const realDir = candidate.realDir as string;
    if (seen.has(realDir)) {
      notes.push({ dir: candidate.dir, reason: 'duplicate-real-path', detail: `same folder as ${realDir}` });
      continue;
    }
    seen.add(realDir);
    locations.push({ dir: candidate.dir, realDir, folderName: candidate.folderName, isProject: false });
  }
  return { locations, notes };
}

// Joining a clean folder and a directory entry's name needs no normalisation; path.join would cost a tenth of a scan.
const SEP = path.sep;

function join(dir: string, name: string): string {
  return dir.endsWith(SEP) ? dir + name : dir + SEP + name;
}

function listDir(files: DiscoveryFileSystem, dir: string, notes: ScanNote[]) {
  try {
    return files.readDir(dir);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR') {
      notes.push({ dir, reason: 'unreadable', detail: String((error as Error).message ?? error) });
    }
    return [];
  }
}

// A plain directory's real path is its parent's real path plus its name: no system call needed.
function resolveFolder(
  files: DiscoveryFileSystem,
  kind: EntryKind,
  dir: string,
  realIfPlain: string,
  notes: ScanNote[],
): string | undefined {
  if (kind === 'directory') return realIfPlain;
  if (kind !== 'symlink') return undefined;
  const real = tryRealPath(files, dir);
  if (real === undefined) {
    notes.push({ dir, reason: 'dangling-link', detail: 'the symlink points nowhere' });
    return undefined;
  }
  return files.isDirectory(real) ? real : undefined;
}

function tryRealPath(files: DiscoveryFileSystem, file: string): string | undefined {
  try {
    return files.realPath(file);
  } catch {
    return undefined;
  }
}
