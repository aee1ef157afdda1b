import { isDeepStrictEqual } from 'node:util';
import { toJsonValue } from '../json-value';
import type { ConfigSchema } from '../plugin/floe-plugin';
import { SUPPORTED_RULES, settingsModel, type Rule, type SettingModel, type SettingsModel } from './settings-model';

/** A JSON Schema (draft 2020-12) document or subschema. */
export type JsonSchema = Record<string, unknown>;

/** The class-validator rules a JSON Schema expresses; every other rule is checked only at run time. */
export const SCHEMA_RULES: readonly string[] = SUPPORTED_RULES;

/**
 * JSON Schemas of config schema classes, written from the same reading of their class-validator rules that
 * `applyConfig` checks values against (see settingsModel and checkSettings), so that the two agree by
 * construction: types, bounds, lengths, patterns, enums, nested classes and arrays of them, required
 * settings (no default, not `@IsOptional` and not only `@Allow`ed), defaults, and `additionalProperties:
 * false` everywhere. A rule floe-core does not know is listed in `runtimeOnly` (the platform schema's
 * `x-floe-runtime-only`): class-validator checks it when settings are applied. Each class becomes one entry
 * of `defs`; a reference to it is `#/$defs/<name>`.
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
      this.defs[name] = this.objectSchema(settingsModel(cls));
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

  private objectSchema(model: SettingsModel): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const setting of model.settings.values()) {
      const schema = this.settingSchema(setting);
      if (setting.hasDefault) schema.default = toJsonValue(setting.default);
      properties[setting.name] = setting.optional ? orNull(schema) : schema;
      if (!setting.optional && !setting.hasDefault && isChecked(setting)) required.push(setting.name);
      for (const rule of setting.runtimeOnly) this.runtimeOnly.push(`${model.schema.name}.${setting.name}: ${rule}`);
    }
    return {
      type: 'object',
      ...(model.schema.name === '' ? {} : { title: model.schema.name }),
      properties,
      ...(required.length === 0 ? {} : { required }),
      additionalProperties: false,
    };
  }

  private settingSchema(setting: SettingModel): JsonSchema {
    const nested = setting.nested;
    const ref = nested === undefined ? undefined : this.refTo(nested.model.schema);
    // `each` rules apply to the members of an array, and force nothing on a value that is not one.
    const items = keywordsOf(setting.each);
    if (ref !== undefined && nested?.each === true) Object.assign(items, ref);
    const own = keywordsOf(setting.rules, items);
    // In draft 2020-12 a $ref applies beside its sibling keywords.
    if (ref !== undefined && nested?.each !== true) Object.assign(own, ref);
    return own;
  }
}

// A setting with no rule at all (@Allow only) takes anything, and may be left out.
function isChecked(setting: SettingModel): boolean {
  return setting.rules.length > 0 || setting.each.length > 0 || setting.nested !== undefined;
}

/** The kind of value a keyword applies to, as JSON Schema types name them. */
const KIND_OF_KEYWORD: Record<string, 'number' | 'string' | 'array'> = {
  minimum: 'number',
  maximum: 'number',
  exclusiveMinimum: 'number',
  exclusiveMaximum: 'number',
  minLength: 'string',
  maxLength: 'string',
  pattern: 'string',
  minItems: 'array',
  maxItems: 'array',
  items: 'array',
};

/**
 * floe-core's rules as JSON Schema keywords, with the meaning checkSettings gives them: a keyword for a
 * kind of value constrains values of that kind only. Written so that strict validators (ajv's
 * `strictTypes`) take it: with a type rule, keywords for another kind (which could never apply) are left
 * out; without one, each kind's keywords sit in an `anyOf` branch of that type, beside a branch for every
 * other kind of value.
 */
function keywordsOf(rules: readonly Rule[], items?: JsonSchema): JsonSchema {
  const generic: JsonSchema = {};
  const byKind: Record<string, JsonSchema> = {};
  const types: string[] = [];
  const put = (keyword: string, value: unknown) => {
    const kind = KIND_OF_KEYWORD[keyword];
    combine(kind === undefined ? generic : (byKind[kind] ??= {}), keyword, value);
  };
  for (const rule of rules) {
    switch (rule.rule) {
      case 'type':
        types.push(rule.type);
        break;
      case 'enum':
        put('enum', toJsonValue(rule.values));
        break;
      case 'minimum':
      case 'maximum':
        put(
          rule.exclusive ? (rule.rule === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum') : rule.rule,
          rule.limit,
        );
        break;
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
        put(rule.rule, rule.limit);
        break;
      case 'pattern':
        put('pattern', rule.pattern.source);
        break;
    }
  }
  if (items !== undefined && Object.keys(items).length > 0) put('items', items);
  // @IsInt() with @IsNumber() is an integer; two other type rules on one value (@IsString() @IsInt()) hold
  // for no value: allOf says so, and nothing else could apply.
  const distinct = [...new Set(types)];
  const only =
    distinct.length === 2 && distinct.includes('integer') && distinct.includes('number') ? ['integer'] : distinct;
  if (only.length > 1) return { ...generic, allOf: only.map((type) => ({ type })) };
  if (only.length === 1) {
    const type = only[0];
    const kind = type === 'integer' ? 'number' : type;
    return { ...generic, type, ...(byKind[kind] ?? {}) };
  }
  const kinds = Object.keys(byKind);
  if (kinds.length === 0) return generic;
  return {
    ...generic,
    anyOf: [
      ...kinds.map((kind) => ({ type: kind, ...byKind[kind] })),
      { not: { anyOf: kinds.map((kind) => ({ type: kind })) } },
    ],
  };
}

const LOWER_BOUNDS: ReadonlySet<string> = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems']);
const UPPER_BOUNDS: ReadonlySet<string> = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems']);

/**
 * Adds a keyword to a schema that may have it already (two rules of one kind on a setting, such as
 * @MinLength(2) with @Length(1, 3)): a value must meet both, so bounds keep the stricter, enums keep the
 * values in both (none: no value is valid), and anything else (a second pattern) goes into `allOf`.
 */
function combine(schema: JsonSchema, keyword: string, value: unknown): void {
  const had = schema[keyword];
  if (had === undefined) schema[keyword] = value;
  else if (LOWER_BOUNDS.has(keyword)) schema[keyword] = Math.max(had as number, value as number);
  else if (UPPER_BOUNDS.has(keyword)) schema[keyword] = Math.min(had as number, value as number);
  else if (keyword === 'enum') {
    const kept = value as unknown[];
    const both = (had as unknown[]).filter((one) => kept.some((other) => isDeepStrictEqual(one, other)));
    if (both.length > 0) schema.enum = both;
    else {
      // No value is in both: none is valid (an empty enum is not valid JSON Schema).
      delete schema.enum;
      ((schema.allOf ??= []) as JsonSchema[]).push({ not: {} });
    }
  } else ((schema.allOf ??= []) as JsonSchema[]).push({ [keyword]: value });
}

// An @IsOptional() setting may be absent or null: its rules do not apply to null.
function orNull(schema: JsonSchema): JsonSchema {
  if (
    typeof schema.type === 'string' &&
    schema.$ref === undefined &&
    schema.enum === undefined &&
    schema.allOf === undefined
  )
    return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}
