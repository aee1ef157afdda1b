import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { PluginConfigurationError, messageOf, type ConfigIssue } from '../errors';
import type { ConfigSchema } from '../plugin/floe-plugin';

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turns raw configuration into a validated instance of `schema`: property initialisers are the defaults
 * (also for keys given as `undefined`), nested objects go through `@Type`, and keys the schema does not
 * declare are refused at every depth. Non-objects and `__proto__`/`constructor`/`prototype` keys are
 * refused before anything is transformed.
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
  let errors: ValidationError[];
  try {
    instance = plainToInstance(schema, raw as object, { exposeDefaultValues: true });
    errors = await validate(instance, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
    });
  } catch (error) {
    throw new PluginConfigurationError(
      plugin.name,
      [{ path: '', constraint: 'transform', message: `the configuration could not be read: ${messageOf(error)}` }],
      plugin.key,
    );
  }
  if (errors.length > 0) throw new PluginConfigurationError(plugin.name, flattenValidationErrors(errors), plugin.key);
  return instance;
}

/** Finds input that must never reach class-transformer: a non-object, a prototype key, a cycle. */
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
  const visit = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null) return;
    if (onPath.has(value)) {
      issues.push({ path, constraint: 'noCycle', message: 'the configuration refers back to itself' });
      return;
    }
    onPath.add(value);
    for (const key of Object.keys(value)) {
      const child = path === '' ? key : `${path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) {
        issues.push({
          path: child,
          constraint: 'forbiddenKey',
          message: `the key "${key}" is not allowed in a configuration`,
        });
        continue;
      }
      visit((value as Record<string, unknown>)[key], child);
    }
    onPath.delete(value);
  };
  visit(raw, '');
  return issues;
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
