import * as path from 'node:path';
import { isValidPluginName } from '../plugin/plugin-name';
import { isPluginType, pluginKey, PLUGIN_TYPES } from '../plugin-type';
import type { DiscoveryIssue, PluginEntry } from './plugin-entry';

/** Where a parsed package.json lives. */
export interface ManifestSource {
  readonly manifestPath: string;
  readonly packageDir: string;
  /** The folder-derived name, used when the package.json has no usable `name`. */
  readonly fallbackName: string;
  readonly isProject: boolean;
}

/**
 * Reads the `floe.plugins` field of a parsed package.json into entries, and every problem into issues.
 * A package without a `floe` field announces nothing and is not a problem.
 */
export function readManifest(
  json: unknown,
  source: ManifestSource,
): { entries: PluginEntry[]; issues: DiscoveryIssue[] } {
  const entries: PluginEntry[] = [];
  const issues: DiscoveryIssue[] = [];
  const pkg = isPlainObject(json) ? json : undefined;
  const name = own(pkg, 'name');
  const packageName = typeof name === 'string' && name !== '' ? name : source.fallbackName;
  const issue = (code: DiscoveryIssue['code'], message: string) =>
    issues.push({ code, packageName, path: source.manifestPath, message: `${packageName}: ${message}` });

  if (pkg === undefined) {
    issue('PACKAGE_JSON_INVALID', 'package.json must hold a JSON object.');
    return { entries, issues };
  }
  const floe = own(pkg, 'floe');
  if (floe === undefined) return { entries, issues };
  const announced = own(floe, 'plugins');
  if (!isPlainObject(floe) || !isPlainObject(announced)) {
    issue(
      'MANIFEST_INVALID',
      'the "floe" field must be an object with a "plugins" object: { "floe": { "plugins": { "floe.computes": { "name": "./file.js#Export" } } } }.',
    );
    return { entries, issues };
  }
  const esm = own(pkg, 'type') === 'module';
  const version = own(pkg, 'version');
  const packageVersion = typeof version === 'string' ? version : undefined;
  for (const [group, plugins] of Object.entries(announced)) {
    if (!isPluginType(group)) {
      issue(
        'UNKNOWN_PLUGIN_TYPE',
        `unknown plugin group "${group}" in floe.plugins; use one of ${PLUGIN_TYPES.join(', ')}.`,
      );
      continue;
    }
    if (!isPlainObject(plugins)) {
      issue('MANIFEST_INVALID', `floe.plugins["${group}"] must be an object mapping plugin names to entry points.`);
      continue;
    }
    for (const [name, target] of Object.entries(plugins)) {
      const where = `floe.plugins["${group}"]["${name}"]`;
      if (!isValidPluginName(name)) {
        issue(
          'PLUGIN_NAME_INVALID',
          `${where}: plugin names start with a letter or digit and hold only letters, digits, "_" and "-".`,
        );
        continue;
      }
      const parsed = parseTarget(target);
      if (typeof parsed === 'string') {
        issue(
          parsed === 'absolute' ? 'ENTRY_ABSOLUTE' : parsed === 'escapes' ? 'ENTRY_ESCAPES_PACKAGE' : 'ENTRY_INVALID',
          `${where}: ${TARGET_PROBLEMS[parsed]}`,
        );
        continue;
      }
      entries.push({
        key: pluginKey(group, name),
        type: group,
        name,
        packageName,
        ...(packageVersion === undefined ? {} : { packageVersion }),
        packageDir: source.packageDir,
        manifestPath: source.manifestPath,
        target: target as string,
        modulePath: parsed.modulePath,
        ...(parsed.exportName === undefined ? {} : { exportName: parsed.exportName }),
        esm,
        isProject: source.isProject,
      });
    }
  }
  return { entries, issues };
}

type TargetProblem = 'not-string' | 'bad-export' | 'absolute' | 'escapes';

const TARGET_PROBLEMS: Record<TargetProblem, string> = {
  'not-string': 'the entry point must be a non-empty string such as "./dist/plugin.js#MyPlugin".',
  'bad-export': 'the export name after "#" must be a non-empty name such as "MyPlugin".',
  absolute: 'the entry point must be a path relative to the package, such as "./dist/plugin.js", not an absolute path.',
  escapes: 'the entry point leaves its package; it must name a file inside the package folder.',
};

/** Splits `'./dist/x.js#Export'` into a package-relative module path and an export name. */
export function parseTarget(target: unknown): { modulePath: string; exportName?: string } | TargetProblem {
  if (typeof target !== 'string' || target.trim() === '') return 'not-string';
  const hash = target.indexOf('#');
  const file = hash === -1 ? target : target.slice(0, hash);
  const exportName = hash === -1 ? undefined : target.slice(hash + 1);
  if (exportName !== undefined && !/^[A-Za-z_$][\w$]*$/.test(exportName)) return 'bad-export';
  if (file.trim() === '') return 'not-string';
  if (path.isAbsolute(file) || path.win32.isAbsolute(file) || /^[a-z][a-z0-9+.-]*:/i.test(file)) return 'absolute';
  const normalized = path.posix.normalize(file.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) return 'escapes';
  return exportName === undefined ? { modulePath: normalized } : { modulePath: normalized, exportName };
}

/** A property of an object only if the object holds it itself: never one inherited (or polluted) from a prototype. */
export function own(value: unknown, key: string): unknown {
  return isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Tells whether a value is a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
