import type { ConfigIssue } from '../errors';
import { closest } from '../did-you-mean';
import type { JsonType, Rule, SettingModel, SettingsModel } from './settings-model';

/**
 * Checks raw settings against a settings class as floe-core reads it (see settingsModel), with the
 * meaning JSON Schema gives the same rules, so that `floe schema` and `applyConfig` agree by construction:
 * unknown keys are refused (with `did you mean "size"?` when one known key is close), a setting without
 * a default must be given, a rule on a kind of value constrains values of that kind only, and a value of
 * the wrong type gets one problem, not one per rule. Returns every problem, each with its path.
 */
export function checkSettings(model: SettingsModel, raw: object, prefix = ''): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const values = raw as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (model.settings.has(key)) continue;
    const path = join(prefix, key);
    const suggestion = closest(key, [...model.settings.keys()]);
    issues.push({
      path,
      constraint: 'whitelistValidation',
      message: `"${path}" is not a known setting${suggestion === undefined ? '' : `; did you mean "${join(prefix, suggestion)}"?`}`,
    });
  }
  for (const setting of model.settings.values()) {
    const value = Object.hasOwn(values, setting.name) ? values[setting.name] : undefined;
    issues.push(...checkSetting(setting, value, join(prefix, setting.name)));
  }
  return issues;
}

function checkSetting(setting: SettingModel, value: unknown, path: string): ConfigIssue[] {
  if (value === undefined) {
    if (setting.optional || setting.hasDefault || !isChecked(setting)) return [];
    // Named after the setting's first rule, as class-validator names it: a missing value breaks that first.
    const constraint = setting.rules[0]?.name ?? (setting.nested === undefined ? 'isDefined' : 'nestedValidation');
    return [{ path, constraint, message: `"${path}" is required: it has no default; give it a value` }];
  }
  if (value === null && setting.optional) return [];
  const own = checkRules(setting.rules, value, path);
  if (own.length > 0) return own;
  const issues: ConfigIssue[] = [];
  if (setting.each.length > 0 && Array.isArray(value)) {
    value.forEach((member, i) => issues.push(...checkRules(setting.each, member, `${path}.${i}`)));
  }
  const nested = setting.nested;
  if (nested !== undefined) {
    if (!nested.each) issues.push(...checkNested(nested.model, value, path));
    else if (Array.isArray(value))
      value.forEach((member, i) => issues.push(...checkNested(nested.model, member, `${path}.${i}`)));
  }
  return issues;
}

// A setting with no rule at all (@Allow only) takes anything, and may be left out.
function isChecked(setting: SettingModel): boolean {
  return setting.rules.length > 0 || setting.each.length > 0 || setting.nested !== undefined;
}

function checkNested(model: SettingsModel, value: unknown, path: string): ConfigIssue[] {
  if (kindOf(value) !== 'object') {
    return [
      {
        path,
        constraint: 'nestedValidation',
        message: `"${path}" must be an object of settings (${model.schema.name || 'nested'}), not ${describe(value)}`,
      },
    ];
  }
  return checkSettings(model, value as object, path);
}

// The type rules first: a value of the wrong type gets that one problem, and no rule of another kind.
function checkRules(rules: readonly Rule[], value: unknown, path: string): ConfigIssue[] {
  for (const rule of rules) {
    if (rule.rule === 'type' && !isOfType(value, rule.type)) {
      return [
        { path, constraint: rule.name, message: `"${path}" must be ${TYPE_NAMES[rule.type]}, not ${describe(value)}` },
      ];
    }
  }
  const issues: ConfigIssue[] = [];
  for (const rule of rules) {
    const message = broken(rule, value, path);
    if (message !== undefined) issues.push({ path, constraint: rule.name, message });
  }
  return issues;
}

/** Why `value` breaks `rule`, or `undefined` when it does not (or `rule` is not about its kind). */
function broken(rule: Rule, value: unknown, path: string): string | undefined {
  switch (rule.rule) {
    case 'type':
      return undefined;
    case 'enum':
      return rule.values.some((allowed) => sameJson(allowed, value))
        ? undefined
        : `"${path}" must be one of ${rule.values.map((v) => JSON.stringify(v)).join(', ')}, not ${describe(value)}`;
    case 'minimum':
    case 'maximum': {
      if (typeof value !== 'number') return undefined;
      const low = rule.rule === 'minimum';
      const fine = low
        ? rule.exclusive
          ? value > rule.limit
          : value >= rule.limit
        : rule.exclusive
          ? value < rule.limit
          : value <= rule.limit;
      if (fine) return undefined;
      const bound = `${low ? 'at least' : 'at most'} ${rule.limit}`;
      return `"${path}" must be ${rule.exclusive ? (low ? `more than ${rule.limit}` : `less than ${rule.limit}`) : bound}, not ${value}`;
    }
    case 'minLength':
    case 'maxLength': {
      if (typeof value !== 'string') return undefined;
      const length = [...value].length;
      const fine = rule.rule === 'minLength' ? length >= rule.limit : length <= rule.limit;
      return fine
        ? undefined
        : `"${path}" must be ${rule.rule === 'minLength' ? 'at least' : 'at most'} ${rule.limit} characters long, not ${length}`;
    }
    case 'pattern':
      if (typeof value !== 'string' || rule.pattern.test(value)) return undefined;
      return `"${path}" must match ${rule.pattern.source}, not ${describe(value)}`;
    case 'minItems':
    case 'maxItems': {
      if (!Array.isArray(value)) return undefined;
      const fine = rule.rule === 'minItems' ? value.length >= rule.limit : value.length <= rule.limit;
      return fine
        ? undefined
        : `"${path}" must hold ${rule.rule === 'minItems' ? 'at least' : 'at most'} ${rule.limit} items, not ${value.length}`;
    }
  }
}

const TYPE_NAMES: Record<JsonType, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

function isOfType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return kindOf(value) === 'object';
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === type;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A value as a message names it: `the string "x"`, `the number 5`, `an array`, `null`. */
export function describe(value: unknown): string {
  switch (kindOf(value)) {
    case 'string':
      return `the string ${JSON.stringify((value as string).length > 40 ? `${(value as string).slice(0, 40)}…` : value)}`;
    case 'number':
      return `the number ${String(value)}`;
    case 'boolean':
      return String(value);
    case 'null':
      return 'null';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

// JSON Schema's equality: the same JSON value, key order aside.
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(
    (key) =>
      Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}
