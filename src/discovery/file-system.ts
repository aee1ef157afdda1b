import * as fs from 'node:fs';
import { MAX_MANIFEST_BYTES, readTextFile } from '../text-file';

/** What a directory entry is, as far as discovery cares. */
export type EntryKind = 'directory' | 'symlink' | 'other';

/** One entry of a directory listing. */
export interface DirEntry {
  readonly name: string;
  readonly kind: EntryKind;
}

/**
 * The file access discovery needs, synchronous because discovery is. Pass a fake in unit tests.
 * Failures throw errors carrying a Node `code` (`ENOENT`, `EACCES`, ...); `readFile` also throws `ENOTREG`
 * for something that is not a regular file and `EFBIG` (with `size`) for one over MAX_MANIFEST_BYTES.
 */
export interface DiscoveryFileSystem {
  readDir(dir: string): DirEntry[];
  readFile(file: string): string;
  realPath(file: string): string;
  isDirectory(file: string): boolean;
}

// One Dirent is kept alive so that V8 keeps its hidden class, and Node's optimized readdir code with it,
// across full collections (see keptStats in text-file.ts).
let keptDirent: fs.Dirent | undefined;

/** Discovery's file access on the real disk. */
export const nodeFileSystem: DiscoveryFileSystem = {
  readDir(dir) {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    keptDirent ??= entries[0];
    return entries.map((entry) => ({
      name: entry.name,
      kind: entry.isDirectory() ? 'directory' : entry.isSymbolicLink() ? 'symlink' : 'other',
    }));
  },
  readFile(file) {
    return readTextFile(file, MAX_MANIFEST_BYTES);
  },
  realPath(file) {
    return fs.realpathSync.native(file);
  },
  isDirectory(file) {
    return fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
  },
};

/** The Node error code of a thrown value, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
