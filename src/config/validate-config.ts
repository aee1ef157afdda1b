import { types } from 'node:util';
import type { ValidationError } from 'class-validator';
import { classTransformer, classValidator } from './validation-libraries';
import { PluginConfigurationError, messageOf, type ConfigIssue } from '../errors';
import type { ConfigSchema } from '../plugin/floe-plugin';
import { checkSettings } from './settings-check';
import { SUPPORTED_RULES, settingsModel } from './settings-model';

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The class-validator rules floe-core checks itself (see settingsModel); class-validator's own verdict on
 * them is not used, so that `applyConfig` and the JSON Schema of `floe schema` cannot disagree.
 */
const CHECKED_HERE: ReadonlySet<string> = new Set([
  ...SUPPORTED_RULES,
  'whitelistValidation',
  'nestedValidation',
  'conditionalValidation',
  'isDefined',
]);

/**
 * Turns raw configuration into a validated instance of `schema`: property initialisers are the defaults
 * (also for keys given as `undefined`), nested objects go through `@Type`, and keys the schema does not
 * declare are refused at every depth (with `did you mean "size"?` when one is close). Non-objects and
 * `__proto__`/`constructor`/`prototype` keys are refused before anything is transformed. The rules
 * floe-core knows are checked as the JSON Schema writes them (see checkSettings); any other decorator is
 * left to class-validator.
 *
 * @param plugin - names the plugin in the error.
 * @throws PluginConfigurationError listing every problem, each with its path (`replicas.1.port`).
 */
export async function validateConfig<T extends object>(
  schema: ConfigSchema<T>,
  raw: unknown,
  plugin: { name: string; key?: string },
): Promise<T> {
  const refused = refuseUnsafeInput(raw);
  if (refused.length > 0) throw new PluginConfigurationError(plugin.name, refused, plugin.key);
  let instance: T;
  const issues: ConfigIssue[] = [];
  try {
    const model = settingsModel(schema);
    issues.push(...checkSettings(model, raw as object));
    instance = classTransformer().plainToInstance(schema, raw as object, { exposeDefaultValues: true });
    if (model.runtimeOnly.length > 0) {
      const errors = await classValidator().validate(instance, {
        validationError: { target: false, value: false },
      });
      issues.push(...flattenValidationErrors(errors).filter((issue) => !CHECKED_HERE.has(issue.constraint)));
    }
  } catch (error) {
    throw new PluginConfigurationError(
      plugin.name,
      [{ path: '', constraint: 'transform', message: `the configuration could not be read: ${messageOf(error)}` }],
      plugin.key,
    );
  }
  if (issues.length > 0) throw new PluginConfigurationError(plugin.name, issues, plugin.key);
  return instance;
}

/** How deep a configuration may nest: far more than any real one, far less than a stack. */
export const MAX_CONFIG_DEPTH = 32;

/**
 * Finds input that must never reach class-transformer: a non-object; an object that is not plain data (a
 * Proxy, a Map, a Date, a class instance; objects without a prototype are fine); a getter; a
 * `__proto__`/`constructor`/`prototype` key or one named like an Object.prototype member (`toString`); a
 * cycle; nesting deeper than MAX_CONFIG_DEPTH. Walks without recursion, so no input can exhaust the stack.
 */
export function refuseUnsafeInput(raw: unknown): ConfigIssue[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [
      {
        path: '',
        constraint: 'isObject',
        message: `the configuration must be an object of settings, not ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`}`,
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  const onPath = new Set<object>();
  // Depth-first with explicit exits, so that `onPath` holds exactly the ancestors of what is visited.
  const stack: ({ value: unknown; path: string; depth: number } | { exit: object })[] = [
    { value: raw, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const item = stack.pop() as (typeof stack)[number];
    if ('exit' in item) {
      onPath.delete(item.exit);
      continue;
    }
    const { value, path, depth } = item;
    if (typeof value !== 'object' || value === null) continue;
    const issue = (constraint: string, message: string) => issues.push({ path, constraint, message });
    if (onPath.has(value)) {
      issue('noCycle', 'the configuration refers back to itself');
      continue;
    }
    const kind = notPlainData(value);
    if (kind !== undefined) {
      issue('plainData', `${kind} is not plain data; write settings as objects, arrays, strings, numbers and booleans`);
      continue;
    }
    if (depth >= MAX_CONFIG_DEPTH) {
      issue('maxDepth', `the configuration nests deeper than ${MAX_CONFIG_DEPTH} levels`);
      continue;
    }
    onPath.add(value);
    stack.push({ exit: value });
    for (const key of Object.keys(value)) {
      const child = path === '' ? key : `${path}.${key}`;
      const childIssue = (constraint: string, message: string) => issues.push({ path: child, constraint, message });
      if (FORBIDDEN_KEYS.has(key)) {
        childIssue('forbiddenKey', `the key "${key}" is not allowed in a configuration`);
        continue;
      }
      if (!Array.isArray(value) && key in Object.prototype) {
        childIssue('whitelistValidation', `"${child}" is not a known setting`);
        continue;
      }
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !('value' in descriptor)) {
        childIssue('plainData', 'a getter is not a value; give the setting its value');
        continue;
      }
      stack.push({ value: descriptor.value, path: child, depth: depth + 1 });
    }
  }
  return issues;
}

/** What a value is when it is not plain data (a plain object, an object without prototype, an array). */
function notPlainData(value: object): string | undefined {
  if (types.isProxy(value)) return 'a Proxy';
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === null || prototype === Object.prototype) return undefined;
  if (Array.isArray(value) && prototype === Array.prototype) return undefined;
  if (value instanceof Map) return 'a Map';
  if (value instanceof Set) return 'a Set';
  if (value instanceof Date) return 'a Date';
  if (value instanceof RegExp) return 'a RegExp';
  const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object with a custom prototype';
}

/** Flattens class-validator's error tree into one entry per failed rule, with dotted paths. */
export function flattenValidationErrors(errors: readonly ValidationError[], prefix = ''): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const error of errors) {
    // class-validator leaves `property` undefined for an error about the whole object.
    const property = error.property ?? '';
    const path = prefix === '' ? property : property === '' ? prefix : `${prefix}.${property}`;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      issues.push({
        path,
        constraint,
        message: constraint === 'whitelistValidation' ? `"${path}" is not a known setting` : message,
      });
    }
    if (error.children !== undefined && error.children.length > 0)
      issues.push(...flattenValidationErrors(error.children, path));
  }
  return issues;
}
