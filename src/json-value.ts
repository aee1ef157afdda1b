import { PluginError, describeThrown } from './errors';

/** How deep `toJsonValue` follows nested values before it writes a marker instead. */
const MAX_DEPTH = 64;

/**
 * A copy of any value that `JSON.stringify` can always write: errors become `{ name, code?, message, ... }`,
 * and what JSON cannot hold is replaced by a marker string: `[Circular]`, `[BigInt 12]`, `[Function name]`,
 * `[Symbol desc]`, `[Unreadable: why]` (a getter or Proxy trap that throws), `[Too deep]`. Never throws.
 */
export function toJsonValue(value: unknown): unknown {
  return copy(value, new Set(), 0);
}

function copy(value: unknown, ancestors: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return `[BigInt ${value.toString()}]`;
    case 'undefined':
      return undefined;
    case 'symbol':
      return `[Symbol ${value.description ?? ''}]`;
    case 'function':
      return `[Function ${readName(value)}]`;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Too deep]';
  ancestors.add(object);
  try {
    return copyObject(object, ancestors, depth);
  } catch (error) {
    return `[Unreadable: ${describeThrown(error).message}]`;
  } finally {
    ancestors.delete(object);
  }
}

function copyObject(object: object, ancestors: Set<object>, depth: number): unknown {
  if (PluginError.is(object)) return copy(object.toJSON(), ancestors, depth);
  if (object instanceof Error) {
    const { type, message } = describeThrown(object);
    return { name: type, message };
  }
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : object.toISOString();
  if (Array.isArray(object)) {
    return object.map((item) => {
      const copied = copy(item, ancestors, depth + 1);
      return copied === undefined ? null : copied;
    });
  }
  if (object instanceof Map) return copy(Object.fromEntries(object), ancestors, depth);
  if (object instanceof Set) return copy([...object], ancestors, depth);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    let item: unknown;
    try {
      item = (object as Record<string, unknown>)[key];
    } catch (error) {
      result[key] = `[Unreadable: ${describeThrown(error).message}]`;
      continue;
    }
    const copied = copy(item, ancestors, depth + 1);
    if (copied !== undefined) result[key] = copied;
  }
  return result;
}

function readName(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : '(anonymous)';
  } catch {
    return '(anonymous)';
  }
}
