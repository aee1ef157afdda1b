import { injectable } from 'inversify';
import { InvalidPluginError } from '../errors';
import { isPluginType, PLUGIN_TYPES, type PluginType } from '../plugin-type';
import { isDependencyReference, isValidPluginName } from './plugin-name';
import { parseApiVersion, parseSemver } from '../version';

/** A class whose instances hold a plugin's validated configuration (class-validator rules, initialisers as defaults). */
export type ConfigSchema<T extends object = object> = new () => T;

/** What `@FloePlugin` records about a plugin class. */
export interface FloePluginOptions {
  readonly type: PluginType;
  /** Letters, digits, `_` and `-`, starting with a letter or digit. */
  readonly name: string;
  /** The plugin's own release, semver `X.Y.Z`. */
  readonly version: string;
  /** The plugin API it was built for, `X.Y` or `X.Y.Z`. */
  readonly apiVersion: string;
  /** Plugins that must be live first: keys such as `'floe.secrets:vault'`, or bare names such as `'vault'`. */
  readonly dependsOn?: readonly string[];
  readonly description?: string;
  readonly configSchema?: ConfigSchema;
}

/** A constructor decorated with `@FloePlugin`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- plugin constructors take whatever the container injects
export type PluginClass<T = unknown> = abstract new (...args: any[]) => T;

// Symbol.for, so that two installed copies of floe-core read each other's metadata.
const OPTIONS_KEY = Symbol.for('floe-core.plugin-options');
// Where Inversify records that @injectable() was applied to a class.
const INJECTABLE_FLAG = '@inversifyjs/core/classIsInjectableFlagReflectKey';
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'type',
  'name',
  'version',
  'apiVersion',
  'dependsOn',
  'description',
  'configSchema',
]);

/**
 * Declares a class as a floe plugin: records its options (checked now) and makes it injectable.
 * It registers nothing anywhere; a registry reads the options when it loads the class.
 *
 * @throws InvalidPluginError when an option is missing or malformed.
 * @example
 * ```ts
 * @FloePlugin({ type: PluginType.Compute, name: 'duckdb', version: '1.2.0', apiVersion: '1.0' })
 * export class DuckDBPlugin extends ComputePlugin { ... }
 * ```
 */
export function FloePlugin(options: FloePluginOptions): ClassDecorator {
  return (target) => {
    const cls = target as unknown as PluginClass;
    const checked = checkOptions(options, cls.name || '(anonymous class)');
    const base = (cls as unknown as { pluginType?: unknown }).pluginType;
    if (base !== undefined && base !== checked.type) {
      throw new InvalidPluginError(
        `class ${cls.name} extends the base class for ${String(base)} but declares type ${checked.type}; make the two agree.`,
      );
    }
    // Written below an @injectable() of its own, the class is injectable already; a second call would throw.
    if (Reflect.getOwnMetadata(INJECTABLE_FLAG, cls) === undefined) injectable()(cls);
    Reflect.defineMetadata(OPTIONS_KEY, checked, cls);
  };
}

/** The frozen options of a class decorated with `@FloePlugin`, or `undefined` for any other value (subclasses included). */
export function getPluginOptions(cls: unknown): FloePluginOptions | undefined {
  if (typeof cls !== 'function') return undefined;
  return Reflect.getOwnMetadata(OPTIONS_KEY, cls) as FloePluginOptions | undefined;
}

function checkOptions(options: unknown, className: string): FloePluginOptions {
  const fail = (problem: string, cause?: unknown): never => {
    throw new InvalidPluginError(`@FloePlugin on class ${className}: ${problem}`, { cause });
  };
  if (typeof options !== 'object' || options === null) return fail('options must be an object.');
  // Own properties only: a module that sets Object.prototype.dependsOn must not change other plugins.
  const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(options)) o[key] = (options as Record<string, unknown>)[key];
  for (const key of Object.keys(o)) {
    if (!KNOWN_OPTIONS.has(key)) fail(`unknown option "${key}"; the options are ${[...KNOWN_OPTIONS].join(', ')}.`);
  }
  if (!isPluginType(o.type))
    fail(`type ${JSON.stringify(o.type)} is not a plugin type; use one of ${PLUGIN_TYPES.join(', ')}.`);
  if (!isValidPluginName(o.name)) {
    fail(
      `name ${JSON.stringify(o.name)} must start with a letter or digit and hold only letters, digits, "_" and "-".`,
    );
  }
  if (typeof o.version !== 'string' || !/^\d/.test(o.version) || parseSemver(o.version) === null) {
    fail(`version ${JSON.stringify(o.version)} must be a semver release such as "1.2.0".`);
  }
  try {
    parseApiVersion(o.apiVersion as string);
  } catch (error) {
    fail(`apiVersion ${JSON.stringify(o.apiVersion)} must look like "1.0".`, error);
  }
  if (o.description !== undefined && typeof o.description !== 'string') fail('description must be a string.');
  if (o.configSchema !== undefined && typeof o.configSchema !== 'function') fail('configSchema must be a class.');
  const dependsOn = checkDependsOn(o.dependsOn, fail);
  return Object.freeze({
    type: o.type as PluginType,
    name: o.name as string,
    version: o.version as string,
    apiVersion: o.apiVersion as string,
    dependsOn,
    description: (o.description as string | undefined) ?? '',
    ...(o.configSchema === undefined ? {} : { configSchema: o.configSchema as ConfigSchema }),
  });
}

function checkDependsOn(value: unknown, fail: (problem: string) => never): readonly string[] {
  if (value === undefined) return Object.freeze([]);
  if (!Array.isArray(value)) return fail('dependsOn must be an array of plugin keys or names.');
  for (const entry of value) {
    if (!isDependencyReference(entry)) {
      fail(
        `dependsOn entry ${JSON.stringify(entry)} must be a plugin key such as "floe.secrets:vault" or a plugin name such as "vault".`,
      );
    }
  }
  return Object.freeze([...(value as string[])]);
}

/** Reads the options of a plugin class, failing with a clear error when the decorator is missing. */
export function requirePluginOptions(cls: unknown, where: string): FloePluginOptions {
  const options = getPluginOptions(cls);
  if (options !== undefined) return options;
  const name = typeof cls === 'function' && cls.name !== '' ? `class ${cls.name}` : 'the value';
  throw new InvalidPluginError(
    `${where}: ${name} is not decorated with @FloePlugin; add @FloePlugin({ type, name, version, apiVersion }) to it.`,
  );
}

export { isDependencyReference, isValidPluginName } from './plugin-name';
