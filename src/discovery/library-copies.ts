import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DiscoveryFileSystem } from './file-system';

/** The libraries floe-core, the application and every plugin must share one copy of. */
export const SHARED_LIBRARIES = Object.freeze([
  'inversify',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
]);

/** The copy of each library that code in a folder would load (`undefined`: none found). */
export type LibraryCopies = Readonly<Record<string, string | undefined>>;

const NONE: LibraryCopies = Object.freeze({});

/**
 * Finds the copies of `libraries` that code in a folder would load, as Node resolves a bare name: for
 * each, the first `node_modules/<library>` going up from the folder, with symlinks resolved. Answers are
 * remembered per folder for all libraries together, and a folder inherits its parent's answers, so that
 * checking every plugin package of a large platform costs one check of its own `node_modules`.
 */
export function libraryResolver(
  files: DiscoveryFileSystem,
  libraries: readonly string[],
): (fromDir: string) => LibraryCopies {
  const byDir = new Map<string, LibraryCopies>();
  const resolve = (dir: string): LibraryCopies => {
    const known = byDir.get(dir);
    if (known !== undefined) return known;
    const parent = path.dirname(dir);
    const inherited = parent === dir ? NONE : resolve(parent);
    let copies = inherited;
    // Folders here are absolute and clean (real paths): joining them needs no normalising.
    const nodeModules = (dir.endsWith(path.sep) ? dir : dir + path.sep) + 'node_modules';
    if (files.isDirectory(nodeModules)) {
      for (const library of libraries) {
        const candidate = nodeModules + path.sep + library;
        if (!files.isDirectory(candidate)) continue;
        if (copies === inherited) copies = { ...inherited };
        (copies as Record<string, string | undefined>)[library] = tryRealPath(files, candidate);
      }
    }
    byDir.set(dir, copies);
    return copies;
  };
  return resolve;
}

function tryRealPath(files: DiscoveryFileSystem, file: string): string | undefined {
  try {
    return files.realPath(file);
  } catch {
    return undefined;
  }
}

let own: Readonly<Record<string, string>> | undefined;

/** The copies of the shared libraries floe-core itself loads, found once from its own folder. */
export function ownLibraryCopies(): Readonly<Record<string, string>> {
  if (own !== undefined) return own;
  const files: DiscoveryFileSystem = {
    readDir: () => [],
    readFile: () => '',
    realPath: (file) => fs.realpathSync.native(file),
    isDirectory: (file) => fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false,
  };
  const copies: Record<string, string> = {};
  const found = libraryResolver(files, SHARED_LIBRARIES)(__dirname);
  for (const library of SHARED_LIBRARIES) {
    const copy = found[library];
    if (copy !== undefined) copies[library] = copy;
  }
  own = Object.freeze(copies);
  return own;
}
