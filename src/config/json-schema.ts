import type { ValidationTypes } from 'class-validator';
import { lazy } from '../lazy';
import { classValidator } from './validate-config';
import type { ConfigSchema } from '../plugin/floe-plugin';
import { toJsonValue } from '../json-value';

/** A JSON Schema (draft 2020-12) document or subschema. */
export type JsonSchema = Record<string, unknown>;

/** The class-validator rules a JSON Schema expresses; every other rule is checked only at run time. */
export const SCHEMA_RULES: readonly string[] = Object.freeze([
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
  'isOptional (conditionalValidation)',
  'allow (whitelistValidation)',
  'validateNested (with @Type)',
]);

interface Rule {
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

/**
 * JSON Schemas of config schema classes, built from their class-validator rules: types, bounds, lengths,
 * patterns, enums, nested classes and arrays of them, required settings (no default and not `@IsOptional`),
 * defaults, and `additionalProperties: false` everywhere. Each class becomes one entry of `defs`; a
 * reference to it is `#/$defs/<name>`.
 */
export class SchemaWriter {
  readonly defs: Record<string, JsonSchema> = {};
  private readonly names = new Map<ConfigSchema, string>();
  /** Rules met that no JSON Schema keyword expresses, as `Class.property: rule`. */
  readonly runtimeOnly: string[] = [];

  /** A reference to the schema of `cls`, written into `defs` on first use. */
  refTo(cls: ConfigSchema, preferredName = cls.name || 'Settings'): JsonSchema {
    let name = this.names.get(cls);
    if (name === undefined) {
      name = this.uniqueName(preferredName);
      this.names.set(cls, name);
      this.defs[name] = {};
      this.defs[name] = this.objectSchema(cls);
    }
    return { $ref: `#/$defs/${name}` };
  }

  /** Whether the schema of `cls` (written by refTo) has settings without a default that must be given. */
  hasRequired(cls: ConfigSchema): boolean {
    const name = this.names.get(cls);
    return name !== undefined && Array.isArray(this.defs[name]?.required);
  }

  private uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.:-]/g, '_') || 'Settings';
    let name = clean;
    for (let i = 2; name in this.defs; i++) name = `${clean}_${i}`;
    return name;
  }

  private objectSchema(cls: ConfigSchema): JsonSchema {
    let defaults: Record<string, unknown> = {};
    try {
      defaults = new cls() as Record<string, unknown>;
    } catch {
      // A schema whose constructor throws has no readable defaults.
    }
    const rules = classValidator()
      .getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false) as unknown as Rule[];
    const byProperty = new Map<string, Rule[]>();
    for (const rule of rules) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [property, propertyRules] of byProperty) {
      const optional = propertyRules.some((rule) => rule.type === ('conditionalValidation' as ValidationTypes));
      const schema = this.propertySchema(cls, property, propertyRules);
      const fallback = defaults[property];
      if (fallback !== undefined) schema.default = toJsonValue(fallback);
      properties[property] = optional ? orNull(schema) : schema;
      if (!optional && fallback === undefined) required.push(property);
    }
    return {
      type: 'object',
      ...(cls.name === '' ? {} : { title: cls.name }),
      properties,
      ...(required.length === 0 ? {} : { required }),
      additionalProperties: false,
    };
  }

  private propertySchema(cls: ConfigSchema, property: string, rules: readonly Rule[]): JsonSchema {
    const own: JsonSchema = {};
    const items: JsonSchema = {};
    for (const rule of rules) {
      const target = rule.each === true ? items : own;
      if (rule.type === 'nestedValidation') {
        const nested = typeStorage().findTypeMetadata(cls, property)?.typeFunction?.();
        if (typeof nested === 'function') Object.assign(target, this.refTo(nested as ConfigSchema));
        else this.runtimeOnly.push(`${cls.name}.${property}: validateNested without @Type`);
        continue;
      }
      if (rule.type !== 'customValidation' || rule.name === undefined) continue;
      if (!applyRule(target, rule.name, rule.constraints ?? []))
        this.runtimeOnly.push(`${cls.name}.${property}: ${rule.name}`);
    }
    if (Object.keys(items).length > 0) {
      own.type ??= 'array';
      own.items = items;
    }
    return own;
  }
}

/** Writes one class-validator rule as JSON Schema keywords; false when no keyword expresses it. */
function applyRule(schema: JsonSchema, name: string, constraints: unknown[]): boolean {
  const [first, second] = constraints;
  switch (name) {
    case 'isString':
      schema.type = 'string';
      return true;
    case 'isInt':
      schema.type = 'integer';
      return true;
    case 'isNumber':
      schema.type = 'number';
      return true;
    case 'isBoolean':
      schema.type = 'boolean';
      return true;
    case 'isObject':
      schema.type = 'object';
      return true;
    case 'isArray':
      schema.type = 'array';
      return true;
    case 'isIn':
      schema.enum = toJsonValue(first);
      return Array.isArray(first);
    case 'isEnum':
      schema.enum = enumValues(first);
      return true;
    case 'min':
      schema.minimum = first;
      return true;
    case 'max':
      schema.maximum = first;
      return true;
    case 'isPositive':
      schema.exclusiveMinimum = 0;
      return true;
    case 'isNegative':
      schema.exclusiveMaximum = 0;
      return true;
    case 'minLength':
      schema.minLength = first;
      return true;
    case 'maxLength':
      schema.maxLength = first;
      return true;
    case 'isLength':
      schema.minLength = first;
      if (typeof second === 'number') schema.maxLength = second;
      return true;
    case 'matches':
      if (!(first instanceof RegExp) || first.flags.replace(/[gu]/g, '') !== '') return false;
      schema.pattern = first.source;
      return true;
    case 'arrayMinSize':
      schema.minItems = first;
      return true;
    case 'arrayMaxSize':
      schema.maxItems = first;
      return true;
    case 'arrayNotEmpty':
      schema.minItems = 1;
      return true;
    default:
      return false;
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

// An @IsOptional() setting may be absent or null: class-validator skips null as it skips undefined.
function orNull(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string' && schema.$ref === undefined && schema.enum === undefined)
    return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}
