import { lazy } from '../lazy';
import type { ConfigSchema } from '../plugin/floe-plugin';
import { classValidator } from './validation-libraries';

/** A JSON type, as JSON Schema names it. */
export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

/**
 * One rule on a value, as floe-core checks it and as the JSON Schema writes it: both come from this one
 * reading, so that they cannot drift. A rule on a kind of value (a bound, a length, a pattern) constrains
 * values of that kind only, as JSON Schema does.
 */
export type Rule =
  | { readonly rule: 'type'; readonly name: string; readonly type: JsonType }
  | { readonly rule: 'enum'; readonly name: string; readonly values: readonly unknown[] }
  | { readonly rule: 'minimum' | 'maximum'; readonly name: string; readonly limit: number; readonly exclusive: boolean }
  | { readonly rule: 'minLength' | 'maxLength'; readonly name: string; readonly limit: number }
  | { readonly rule: 'pattern'; readonly name: string; readonly pattern: RegExp }
  | { readonly rule: 'minItems' | 'maxItems'; readonly name: string; readonly limit: number };

/** One setting of a settings class. */
export interface SettingModel {
  readonly name: string;
  /** `@IsOptional()`: absent, `undefined` or `null`, and then nothing else is checked. */
  readonly optional: boolean;
  /** Its default (the class's property initialiser), when it has one: then it may be left out. */
  readonly hasDefault: boolean;
  readonly default?: unknown;
  /** Rules on the value itself. */
  readonly rules: readonly Rule[];
  /** Rules on each member, when the value is an array (`{ each: true }`). */
  readonly each: readonly Rule[];
  /** `@ValidateNested() @Type(() => C)`: the value (or, with `each`, each member) is a C. */
  readonly nested?: { readonly model: SettingsModel; readonly each: boolean };
  /** The rules floe-core does not know how to check or write (class-validator checks them at run time). */
  readonly runtimeOnly: readonly string[];
}

/** A settings class as floe-core reads it: its settings, and the rules only class-validator can check. */
export interface SettingsModel {
  readonly schema: ConfigSchema;
  readonly settings: ReadonlyMap<string, SettingModel>;
  /** `Class.property: rule` for every rule only class-validator checks, here and in nested classes. */
  readonly runtimeOnly: readonly string[];
}

/** A class-validator metadata entry, as its storage holds it. */
interface Metadata {
  readonly propertyName: string;
  readonly type: string;
  readonly name?: string;
  readonly constraints?: unknown[];
  readonly each?: boolean;
}

type TypeFunction = () => unknown;
interface TypeMetadataStorage {
  findTypeMetadata(target: object, propertyName: string): { typeFunction?: TypeFunction } | undefined;
}

// class-transformer keeps what @Type declared here; it exports no public reader for it.
const typeStorage = lazy(
  () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the storage is not part of the package's entry
    (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeMetadataStorage })
      .defaultMetadataStorage,
);

/** The class-validator rules floe-core reads (and writes into the JSON Schema); others are runtime-only. */
export const SUPPORTED_RULES: readonly string[] = Object.freeze([
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isObject',
  'isArray',
  'isIn',
  'isEnum',
  'min',
  'max',
  'isPositive',
  'isNegative',
  'minLength',
  'maxLength',
  'isLength',
  'matches',
  'arrayMinSize',
  'arrayMaxSize',
  'arrayNotEmpty',
  'isOptional',
  'allow',
  'validateNested (with @Type)',
]);

const models = new WeakMap<ConfigSchema, SettingsModel>();

/**
 * Reads a settings class once: each decorated property with its rules, its default and its nested class.
 * A decorator floe-core does not know is kept as runtime-only, never an error. Cycles between nested
 * classes are fine: a class is read once and shared.
 */
export function settingsModel(schema: ConfigSchema): SettingsModel {
  const known = models.get(schema);
  if (known !== undefined) return known;
  const settings = new Map<string, SettingModel>();
  const runtimeOnly: string[] = [];
  const model: SettingsModel = { schema, settings, runtimeOnly };
  models.set(schema, model);
  let defaults: Record<string, unknown> = {};
  try {
    defaults = new schema() as Record<string, unknown>;
  } catch {
    // A settings class whose constructor throws has no readable defaults.
  }
  const metadata = classValidator()
    .getMetadataStorage()
    .getTargetValidationMetadatas(schema, '', true, false) as unknown as Metadata[];
  const byProperty = new Map<string, Metadata[]>();
  for (const entry of metadata)
    byProperty.set(entry.propertyName, [...(byProperty.get(entry.propertyName) ?? []), entry]);
  for (const [name, entries] of byProperty) {
    const setting = readSetting(schema, name, entries, defaults[name]);
    settings.set(name, setting);
    runtimeOnly.push(...setting.runtimeOnly.map((rule) => `${schema.name}.${name}: ${rule}`));
    if (setting.nested !== undefined) runtimeOnly.push(...setting.nested.model.runtimeOnly);
  }
  return model;
}

function readSetting(
  schema: ConfigSchema,
  name: string,
  entries: readonly Metadata[],
  fallback: unknown,
): SettingModel {
  const rules: Rule[] = [];
  const each: Rule[] = [];
  const runtimeOnly: string[] = [];
  let optional = false;
  let nested: SettingModel['nested'];
  for (const entry of entries) {
    if (entry.type === 'conditionalValidation') {
      optional = true;
      continue;
    }
    if (entry.type === 'whitelistValidation') continue; // @Allow: known, nothing to check
    if (entry.type === 'nestedValidation') {
      const cls = typeStorage().findTypeMetadata(schema, name)?.typeFunction?.();
      if (typeof cls === 'function') nested = { model: settingsModel(cls as ConfigSchema), each: entry.each === true };
      else runtimeOnly.push('validateNested without @Type');
      continue;
    }
    const read = entry.type === 'customValidation' ? rulesOf(entry.name ?? '', entry.constraints ?? []) : undefined;
    if (read === undefined) runtimeOnly.push(entry.name ?? entry.type);
    else (entry.each === true ? each : rules).push(...read);
  }
  return {
    name,
    optional,
    hasDefault: fallback !== undefined,
    ...(fallback === undefined ? {} : { default: fallback }),
    rules,
    each,
    ...(nested === undefined ? {} : { nested }),
    runtimeOnly,
  };
}

/** A class-validator rule as floe-core's rules; `undefined` for one it does not know. */
function rulesOf(name: string, constraints: readonly unknown[]): Rule[] | undefined {
  const [first, second] = constraints;
  const number = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
  switch (name) {
    case 'isString':
      return [{ rule: 'type', name, type: 'string' }];
    case 'isInt':
      return [{ rule: 'type', name, type: 'integer' }];
    case 'isNumber':
      return [{ rule: 'type', name, type: 'number' }];
    case 'isBoolean':
      return [{ rule: 'type', name, type: 'boolean' }];
    case 'isObject':
      return [{ rule: 'type', name, type: 'object' }];
    case 'isArray':
      return [{ rule: 'type', name, type: 'array' }];
    case 'isIn':
      return Array.isArray(first) ? [{ rule: 'enum', name, values: first }] : undefined;
    case 'isEnum':
      return [{ rule: 'enum', name, values: enumValues(first) }];
    case 'min':
    case 'max':
      return number(first)
        ? [{ rule: name === 'min' ? 'minimum' : 'maximum', name, limit: first as number, exclusive: false }]
        : undefined;
    case 'isPositive':
      return [{ rule: 'minimum', name, limit: 0, exclusive: true }];
    case 'isNegative':
      return [{ rule: 'maximum', name, limit: 0, exclusive: true }];
    case 'minLength':
    case 'maxLength':
      return number(first) ? [{ rule: name, name, limit: first as number }] : undefined;
    case 'isLength':
      if (!number(first)) return undefined;
      return [
        { rule: 'minLength', name, limit: first as number },
        ...(number(second) ? [{ rule: 'maxLength' as const, name, limit: second as number }] : []),
      ];
    case 'matches':
      return patternRule(first);
    case 'arrayMinSize':
    case 'arrayMaxSize':
      return number(first)
        ? [{ rule: name === 'arrayMinSize' ? 'minItems' : 'maxItems', name, limit: first as number }]
        : undefined;
    case 'arrayNotEmpty':
      return [{ rule: 'minItems', name, limit: 1 }];
    default:
      return undefined;
  }
}

// Only a pattern JSON Schema can hold: no flags but `g` (meaningless for a test) and `u`, and valid as the
// Unicode pattern JSON Schema validators compile it to.
function patternRule(pattern: unknown): Rule[] | undefined {
  if (!(pattern instanceof RegExp) || pattern.flags.replace(/[gu]/g, '') !== '') return undefined;
  try {
    return [{ rule: 'pattern', name: 'matches', pattern: new RegExp(pattern.source, 'u') }];
  } catch {
    return undefined;
  }
}

// A TypeScript enum object holds its names too (numeric enums map values back to names): keep the values.
function enumValues(entity: unknown): unknown[] {
  if (typeof entity !== 'object' || entity === null) return [];
  const values = Object.entries(entity as Record<string, unknown>)
    .filter(([key]) => !/^\d+$/.test(key))
    .map(([, value]) => value);
  return [...new Set(values)];
}
