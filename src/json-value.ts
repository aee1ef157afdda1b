import { PluginError, describeThrown } from './errors';

/** How deep `toJsonValue` follows nested values before it writes a marker instead. */
const MAX_DEPTH = 64;

/** How `toJsonValue` writes errors. */
export interface JsonValueOptions {
  /** Also write each error's `stack`, and its cause chain with theirs (for `--verbose`); default false. */
  readonly stacks?: boolean;
}

/**
 * A copy of any value that `JSON.stringify` can always write: errors become `{ name, code?, message, ... }`
 * (with `stack`, and `cause` written the same way, when `stacks` is asked for), and what JSON cannot hold is
 * replaced by a marker string: `[Circular]`, `[BigInt 12]`, `[Function name]`, `[Symbol desc]`,
 * `[Unreadable: why]` (a getter or Proxy trap that throws), `[Too deep]`. Never throws.
 */
export function toJsonValue(value: unknown, options: JsonValueOptions = {}): unknown {
  return copy(value, new Set(), 0, options.stacks === true);
}

function copy(value: unknown, ancestors: Set<object>, depth: number, stacks = false): unknown {
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
    return copyObject(object, ancestors, depth, stacks);
  } catch (error) {
    return `[Unreadable: ${describeThrown(error).message}]`;
  } finally {
    ancestors.delete(object);
  }
}

function copyObject(object: object, ancestors: Set<object>, depth: number, stacks: boolean): unknown {
  if (stacks && (PluginError.is(object) || object instanceof Error)) return errorWithStack(object, ancestors, depth);
  if (PluginError.is(object)) return copy(object.toJSON(), ancestors, depth);
  if (object instanceof Error) {
    const { type, message } = describeThrown(object);
    return { name: type, message };
  }
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : object.toISOString();
  if (Array.isArray(object)) {
    return object.map((item) => {
      const copied = copy(item, ancestors, depth + 1, stacks);
      return copied === undefined ? null : copied;
    });
  }
  if (object instanceof Map) return copy(Object.fromEntries(object), ancestors, depth, stacks);
  if (object instanceof Set) return copy([...object], ancestors, depth, stacks);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    let item: unknown;
    try {
      item = (object as Record<string, unknown>)[key];
    } catch (error) {
      result[key] = `[Unreadable: ${describeThrown(error).message}]`;
      continue;
    }
    const copied = copy(item, ancestors, depth + 1, stacks);
    if (copied !== undefined) result[key] = copied;
  }
  return result;
}

// An error as `toJsonValue` writes it, with its stack, and its cause written the same way.
function errorWithStack(error: object, ancestors: Set<object>, depth: number): unknown {
  const base = (
    PluginError.is(error)
      ? copy(error.toJSON(), ancestors, depth)
      : { name: describeThrown(error).type, message: describeThrown(error).message }
  ) as Record<string, unknown>;
  const stack = (error as { stack?: unknown }).stack;
  if (typeof stack === 'string') base.stack = stack;
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined) base.cause = copy(cause, ancestors, depth + 1, true);
  return base;
}

function readName(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : '(anonymous)';
  } catch {
    return '(anonymous)';
  }
}
