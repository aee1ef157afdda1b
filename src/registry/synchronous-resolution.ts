import type { Container } from 'inversify';
import { isPluginType } from '../plugin-type';

/** Synchronous `get`/`getAll` calls in progress, on any container of a class this module wrapped. */
let depth = 0;
const wrapped = new WeakSet<object>();

/** Finds a live plugin by type and name, or gives undefined (see enableLiveLookup). */
export type LiveLookup = (type: unknown, name: unknown) => unknown;

/** Where a container keeps its live lookup, while it has one. */
const LIVE = Symbol('floe-core live lookup');

type Resolve = (this: object, serviceIdentifier: unknown, options?: { name?: unknown; tag?: unknown }) => unknown;

/**
 * Makes synchronous resolutions visible to binding resolvers (Inversify does not say whether a dynamic value
 * is resolved for `get` or `getAsync`): the `get` and `getAll` of the class `container` is made from are
 * wrapped, once, on the prototype that defines them, to count the calls in progress. So the count covers
 * the container, its children (request scopes, module containers) and every other container of that class:
 * a synchronous resolution anywhere reaches a plugin binding through one of them.
 *
 * The `get` wrapper also takes the short way for a container with a live lookup (see enableLiveLookup).
 */
export function trackSynchronousResolution(container: Container): void {
  let owner: object | null = null;
  for (let proto = Object.getPrototypeOf(container); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, 'get')) owner = proto;
  }
  if (owner === null || wrapped.has(owner)) return;
  wrapped.add(owner);
  const methods = owner as Record<'get' | 'getAll', Resolve>;
  const get = methods.get;
  const getAll = methods.getAll;
  const shortGet: Resolve = function (serviceIdentifier, options) {
    if (options !== undefined && options.name !== undefined && options.tag === undefined) {
      const live = (this as { [LIVE]?: LiveLookup })[LIVE]?.(serviceIdentifier, options.name);
      if (live !== undefined) return live;
    }
    depth++;
    try {
      return get.call(this, serviceIdentifier, options);
    } finally {
      depth--;
    }
  };
  const countedGetAll: Resolve = function (serviceIdentifier, options) {
    depth++;
    try {
      return getAll.call(this, serviceIdentifier, options);
    } finally {
      depth--;
    }
  };
  define(owner, 'get', shortGet);
  define(owner, 'getAll', countedGetAll);
}

/** Whether a synchronous `get`/`getAll` is resolving right now (see trackSynchronousResolution). */
export function inSynchronousResolution(): boolean {
  return depth > 0;
}

/** The container methods that can change what `get(type, { name })` gives, and so end a live lookup. */
const CHANGES = [
  'bind',
  'rebind',
  'rebindAsync',
  'unbind',
  'unbindAsync',
  'unbindAll',
  'unbindAllAsync',
  'onActivation',
  'load',
  'loadAsync',
  'unload',
  'unloadAsync',
  'register',
  'restore',
] as const;

/** Calls made by the registry itself (its bindings, snapshots and restores) do not end a live lookup. */
let own = 0;

/** Runs `change` as the registry's own change of a container with a live lookup. */
export function asOwnChange<T>(change: () => T): T {
  own++;
  try {
    return change();
  } finally {
    own--;
  }
}

/**
 * Gives a container the registry made a short way to its live plugins: its synchronous
 * `get(type, { name })` returns what `lookup` finds (the live instance) without asking Inversify, which
 * would resolve the plugin's binding to the same instance. Anything else (a plugin that is not live, a
 * bare `get(type)`, a tag, `getAll`, a child container) resolves through Inversify as before.
 *
 * The short way holds only while the registry's bindings are the only ones that can answer: the first
 * change to the container from outside the registry that could (a binding, unbinding or activation of a
 * plugin type, an unbinding by id, loading or unloading a module, an Inversify plugin, a restore) ends it
 * for good, and every lookup goes through Inversify from then on. A container handed to the registry never
 * gets one: it may have a parent whose activations apply to plugin types.
 */
export function enableLiveLookup(container: Container, lookup: LiveLookup): void {
  const target = container as unknown as Record<string | symbol, unknown>;
  target[LIVE] = lookup;
  const end = (): void => {
    delete target[LIVE];
    for (const method of CHANGES) delete target[method];
  };
  for (const method of CHANGES) {
    const original = target[method] as (this: unknown, ...args: unknown[]) => unknown;
    define(target, method, function (this: unknown, ...args: unknown[]) {
      if (own === 0 && mayChangeLookups(method, args[0])) end();
      return original.apply(this, args);
    });
  }
}

function mayChangeLookups(method: (typeof CHANGES)[number], identifier: unknown): boolean {
  switch (method) {
    case 'bind':
    case 'rebind':
    case 'rebindAsync':
    case 'onActivation':
      return isPluginType(identifier);
    case 'unbind':
    case 'unbindAsync':
      // By service id, or by binding id (which could be a plugin's).
      return typeof identifier === 'object' || isPluginType(identifier);
    default:
      return true;
  }
}

function define(target: object, method: string, value: unknown): void {
  Object.defineProperty(target, method, { configurable: true, writable: true, value });
}
