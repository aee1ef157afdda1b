import type { Container } from 'inversify';

/** Synchronous `get`/`getAll` calls in progress, on any container of a class this module wrapped. */
let depth = 0;
const wrapped = new WeakSet<object>();

/**
 * Makes synchronous resolutions visible to binding resolvers (Inversify does not say whether a dynamic value
 * is resolved for `get` or `getAsync`): the `get` and `getAll` of the class `container` is made from are
 * wrapped, once, on the prototype that defines them, to count the calls in progress. So the count covers
 * the container, its children (request scopes, module containers) and every other container of that class:
 * a synchronous resolution anywhere reaches a plugin binding through one of them.
 */
export function trackSynchronousResolution(container: Container): void {
  let owner: object | null = null;
  for (let proto = Object.getPrototypeOf(container); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, 'get')) owner = proto;
  }
  if (owner === null || wrapped.has(owner)) return;
  wrapped.add(owner);
  for (const method of ['get', 'getAll'] as const) {
    const original = (owner as Record<string, unknown>)[method] as (...args: unknown[]) => unknown;
    Object.defineProperty(owner, method, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        depth++;
        try {
          return original.apply(this, args);
        } finally {
          depth--;
        }
      },
    });
  }
}

/** Whether a synchronous `get`/`getAll` is resolving right now (see trackSynchronousResolution). */
export function inSynchronousResolution(): boolean {
  return depth > 0;
}
