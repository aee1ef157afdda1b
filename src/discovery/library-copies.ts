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
 * Finds the copy of a library that code in a folder would load, as Node resolves a bare name: the first
 * `node_modules/<library>` going up from the folder, with symlinks resolved (`undefined` when none).
 * Answers are remembered per folder, and a folder without `node_modules` costs one check for all
 * libraries, so checking every plugin package of a large platform stays cheap.
 */
export function libraryResolver(files: DiscoveryFileSystem): (fromDir: string, library: string) => string | undefined {
  const answers = new Map<string, string | undefined>();
  const hasNodeModules = new Map<string, boolean>();
  const resolve = (dir: string, library: string): string | undefined => {
    const key = `${dir}\u0000${library}`;
    if (answers.has(key)) return answers.get(key);
    const nodeModules = path.join(dir, 'node_modules');
    let has = hasNodeModules.get(dir);
    if (has === undefined) {
      has = files.isDirectory(nodeModules);
      hasNodeModules.set(dir, has);
    }
    let answer: string | undefined;
    const candidate = path.join(nodeModules, library);
    if (has && files.isDirectory(candidate)) {
      try {
        answer = files.realPath(candidate);
      } catch {
        answer = undefined;
      }
    } else {
      const parent = path.dirname(dir);
      answer = parent === dir ? undefined : resolve(parent, library);
    }
    answers.set(key, answer);
    return answer;
  };
  return resolve;
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
  const resolve = libraryResolver(files);
  for (const library of SHARED_LIBRARIES) {
    const copy = resolve(__dirname, library);
    if (copy !== undefined) copies[library] = copy;
  }
  own = Object.freeze(copies);
  return own;
}
