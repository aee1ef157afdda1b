import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidPluginError, PluginError, PluginIncompatibleError, messageOf } from '../errors';
import { getPluginOptions, type PluginClass } from '../plugin/floe-plugin';
import { requireInjectableConstructor } from '../ordering/injected-plugins';
import { isCompatible } from '../version';
import { errorCode, nodeFileSystem } from './file-system';
import type { PluginEntry } from './plugin-entry';

/** Imports a module file: CommonJS and ES modules alike. */
export type ModuleImporter = (file: string, esm: boolean) => unknown;

/** The I/O a load needs; each has a real default and may be replaced in tests. */
export interface LoaderIO {
  importModule?: ModuleImporter;
  /** Resolves a module path the way `require` does (extensions, directory index, package main). */
  resolveModule?: (file: string) => string;
  realPath?: (file: string) => string;
}

// A real import(): TypeScript's CommonJS output would otherwise turn it into require().
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/**
 * Imports a module with `require` (which loads ES modules too on Node >= 20.19) and falls back to a real
 * `import()` for ES modules that use top-level await.
 */
export const importModule: ModuleImporter = (file) => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- plugin modules are loaded at run time by path
    return require(file);
  } catch (error) {
    if (errorCode(error) === 'ERR_REQUIRE_ASYNC_MODULE') return nativeImport(pathToFileURL(file).href);
    throw error;
  }
};

/**
 * An importer that evaluates a package's code anew, for a package whose files changed since it was first
 * imported (generation `generation` of it). CommonJS modules inside `packageDir` are dropped from require's
 * cache first, so the whole package is evaluated again, and the old modules can be garbage-collected once
 * nothing holds their classes. An ES module entry is imported under a new URL (`?floe-generation=N`), which
 * evaluates that file again; the package files it imports stay as first loaded (Node's ES module cache
 * cannot be emptied), and every generation of the entry stays in memory.
 */
export function freshImporter(packageDir: string, generation: number): ModuleImporter {
  // Module file names are real absolute paths, as packageDir is: a prefix test is enough, and cheap over a
  // cache of thousands of modules.
  const inside = packageDir.endsWith(path.sep) ? packageDir : packageDir + path.sep;
  return (file, esm) => {
    for (const cached of Object.keys(require.cache)) if (cached.startsWith(inside)) delete require.cache[cached];
    // Each module required from here is also one of this module's children: drop the old ones too, or they
    // would be kept for as long as floe-core is loaded.
    const children = module.children;
    for (let i = children.length - 1; i >= 0; i--) if (children[i].filename.startsWith(inside)) children.splice(i, 1);
    if (isEsModuleFile(file, esm)) return nativeImport(`${pathToFileURL(file).href}?floe-generation=${generation}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- plugin modules are loaded at run time by path
    return require(file);
  };
}

/** Whether Node loads a file as an ES module: `.mjs`, or `.js` in a package of `"type": "module"`. */
function isEsModuleFile(file: string, packageIsEsm: boolean): boolean {
  const extension = path.extname(file);
  return extension === '.mjs' || (packageIsEsm && extension !== '.cjs');
}

/**
 * Imports the class behind a discovered entry and checks it: the module's real path must lie inside its
 * package, the export must carry `@FloePlugin` metadata naming the entry's type and name, and its API
 * version must be compatible with the platform's.
 *
 * @throws PluginError `PLUGIN_LOAD_FAILED` (module missing or throwing on import, with the cause),
 *   InvalidPluginError, or PluginIncompatibleError.
 */
export async function loadPluginClass(
  entry: PluginEntry,
  platformApiVersion: string,
  io: LoaderIO = {},
): Promise<PluginClass> {
  const where = `plugin ${entry.key} (package ${entry.packageName}, entry "${entry.target}")`;
  const requested = path.resolve(entry.packageDir, entry.modulePath);
  let resolved: string;
  try {
    resolved = (io.realPath ?? nodeFileSystem.realPath)((io.resolveModule ?? require.resolve)(requested));
  } catch (error) {
    throw new PluginError(
      'PLUGIN_LOAD_FAILED',
      `Cannot load ${where}: module ${requested} does not exist. Build or reinstall the package, or correct the entry point in its package.json.`,
      { cause: error },
    );
  }
  if (!isInside(resolved, entry.packageDir)) {
    throw new InvalidPluginError(
      `${where} resolves to ${resolved}, outside its package folder ${entry.packageDir}; an entry point must name a file inside its own package.`,
    );
  }
  let loaded: unknown;
  try {
    const importer =
      io.importModule ??
      (entry.generation === undefined ? importModule : freshImporter(entry.packageDir, entry.generation));
    loaded = await importer(resolved, entry.esm);
  } catch (error) {
    throw new PluginError(
      'PLUGIN_LOAD_FAILED',
      `Cannot load ${where}: importing ${resolved} failed: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
  let cls: unknown;
  let options: ReturnType<typeof getPluginOptions>;
  try {
    cls = pickExport(loaded, entry.exportName);
    options = getPluginOptions(cls);
  } catch (error) {
    // An export whose getter throws, or a module namespace that is a Proxy with throwing traps.
    throw new PluginError(
      'PLUGIN_LOAD_FAILED',
      `Cannot load ${where}: reading its export failed: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
  if (typeof cls !== 'function') {
    throw new InvalidPluginError(
      `${where}: ${resolved} has no ${entry.exportName === undefined ? 'default export' : `export named "${entry.exportName}"`} holding a class; export the plugin class or correct the "#Export" part of the entry point.`,
    );
  }
  if (options === undefined) {
    throw new InvalidPluginError(
      `${where}: class ${cls.name || '(anonymous)'} is not decorated with @FloePlugin; decorate it.`,
    );
  }
  if (options.type !== entry.type || options.name !== entry.name) {
    throw new InvalidPluginError(
      `${where}: the class declares ${options.type}:${options.name} in @FloePlugin, but the package announces it as ${entry.key}; make package.json and the decorator agree.`,
    );
  }
  if (!isCompatible(options.apiVersion, platformApiVersion)) {
    throw new PluginIncompatibleError(options.name, options.apiVersion, platformApiVersion);
  }
  requireInjectableConstructor(cls, where);
  return cls as PluginClass;
}

function pickExport(loaded: unknown, exportName: string | undefined): unknown {
  if (loaded === null || loaded === undefined) return undefined;
  const exports = loaded as Record<string, unknown>;
  if (exportName !== undefined) return exports[exportName];
  if (typeof loaded === 'function') return loaded;
  return exports.default;
}

/** Tells whether `file` lies inside `dir` (both real paths). */
export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
