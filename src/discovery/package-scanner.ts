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
 * `@scope/` folders, in the order the folders were listed (callers that need an order sort what they
 * keep). Symlinks are followed once and deduplicated by real path, so a link cycle or a package linked
 * twice is read once: under the name that comes first. Nested node_modules are not entered.
 */
export function scanPackageFolders(
  rootDir: string,
  files: DiscoveryFileSystem,
): { locations: PackageLocation[]; notes: ScanNote[] } {
  const root = path.resolve(rootDir);
  const notes: ScanNote[] = [];
  const locations: PackageLocation[] = [];
  const rootReal = tryRealPath(files, root) ?? root;
  locations.push({ dir: root, realDir: rootReal, isProject: true });

  const nodeModules = join(root, 'node_modules');
  const nodeModulesReal = tryRealPath(files, nodeModules);
  if (nodeModulesReal === undefined) return { locations, notes };

  const candidates: Candidate[] = [];
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

  // Of folders with one real path, the first by name is read and the others are noted. Only symlinks can
  // share a real path, so this needs no sorting of the whole list (which cost a few percent of a scan).
  const firstByName = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const first = firstByName.get(candidate.realDir);
    if (first === undefined || candidate.folderName < first.folderName) firstByName.set(candidate.realDir, candidate);
  }
  const duplicates: Candidate[] = [];
  for (const candidate of candidates) {
    const { realDir } = candidate;
    if (realDir === rootReal || firstByName.get(realDir) !== candidate) {
      duplicates.push(candidate);
      continue;
    }
    locations.push({ dir: candidate.dir, realDir, folderName: candidate.folderName, isProject: false });
  }
  duplicates.sort((a, b) => (a.folderName < b.folderName ? -1 : a.folderName > b.folderName ? 1 : 0));
  for (const { dir, realDir } of duplicates)
    notes.push({ dir, reason: 'duplicate-real-path', detail: `same folder as ${realDir}` });
  return { locations, notes };
}

interface Candidate {
  readonly folderName: string;
  readonly dir: string;
  readonly realDir: string;
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
