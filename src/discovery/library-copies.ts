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

/**
 * The folder of the copy of `library` that code in `fromDir` would load, as Node resolves a bare name: the
 * first `node_modules/<library>` going up from `fromDir`, with symlinks resolved; `undefined` when none.
 */
export function libraryCopy(files: DiscoveryFileSystem, fromDir: string, library: string): string | undefined {
  for (let dir = fromDir; ;) {
    const candidate = path.join(dir, 'node_modules', library);
    if (files.isDirectory(candidate)) {
      try {
        return files.realPath(candidate);
      } catch {
        return undefined;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
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
  for (const library of SHARED_LIBRARIES) {
    const copy = libraryCopy(files, __dirname, library);
    if (copy !== undefined) copies[library] = copy;
  }
  own = Object.freeze(copies);
  return own;
}
