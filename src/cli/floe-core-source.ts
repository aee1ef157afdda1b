import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where the running floe-core came from, as a dependency spec for a package that needs it: a registry
 * version range, or the folder it was built from (a checkout, `npm link`, or a `file:` install of one).
 */
export type FloeCoreSource =
  { readonly kind: 'registry'; readonly range: string } | { readonly kind: 'folder'; readonly folder: string };

/**
 * Reads where the floe-core in `packageRoot` (version `version`) came from. Outside any `node_modules` it is
 * a folder (a checkout or a link to one). Inside one, npm's lock file of that project (the hidden
 * `node_modules/.package-lock.json`, else `package-lock.json`) says whether it was resolved from a folder
 * (`file:`); anything else came from a registry, so the package asks for `^version`.
 */
export function floeCoreSource(packageRoot: string, version: string): FloeCoreSource {
  const real = fs.realpathSync(packageRoot);
  const parts = real.split(path.sep);
  const first = parts.indexOf('node_modules');
  if (first < 0) return { kind: 'folder', folder: real };
  const project = parts.slice(0, first).join(path.sep) || path.sep;
  const entry = parts.slice(first).join('/');
  for (const lock of [
    path.join(project, 'node_modules', '.package-lock.json'),
    path.join(project, 'package-lock.json'),
  ]) {
    const resolved = lockedResolution(lock, entry);
    if (resolved === undefined) continue;
    if (resolved.startsWith('file:')) return { kind: 'folder', folder: path.resolve(project, resolved.slice(5)) };
    break;
  }
  return { kind: 'registry', range: `^${version}` };
}

function lockedResolution(lockFile: string, entry: string): string | undefined {
  let lock: unknown;
  try {
    lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  } catch {
    return undefined;
  }
  const packages = (lock as { packages?: Record<string, { resolved?: unknown }> }).packages;
  const resolved = packages?.[entry]?.resolved;
  return typeof resolved === 'string' ? resolved : undefined;
}
