import type { Container } from 'inversify';
import type { PluginType } from '../plugin-type';

/**
 * Binds a plugin under its type, named by its name, as users inject it: `@inject(type) @named(name)`.
 * `resolve` returns the live instance, or a promise of it while the plugin still has to start.
 */
export function bindNamedPlugin(container: Container, type: PluginType, name: string, resolve: () => unknown): void {
  container.bind(type).toDynamicValue(resolve).whenNamed(name);
}

/** Binds what a bare `@inject(type)` gets: `resolve` picks the type's default plugin. */
export function bindTypeDefault(container: Container, type: PluginType, resolve: () => unknown): void {
  container.bind(type).toDynamicValue(resolve).whenDefault();
}

const depths = new WeakMap<Container, { depth: number }>();

/**
 * Tells, from inside a binding's resolver, whether the resolution was asked for synchronously
 * (`container.get` / `getAll`) rather than with `getAsync`: Inversify does not say. The container's own
 * `get` and `getAll` are wrapped, once per container, to count the synchronous calls in progress.
 */
export function trackSynchronousResolution(container: Container): () => boolean {
  let state = depths.get(container);
  if (state === undefined) {
    const counter = { depth: 0 };
    state = counter;
    depths.set(container, counter);
    for (const method of ['get', 'getAll'] as const) {
      const original = container[method].bind(container) as (...args: unknown[]) => unknown;
      Object.defineProperty(container, method, {
        configurable: true,
        writable: true,
        value: (...args: unknown[]) => {
          counter.depth++;
          try {
            return original(...args);
          } finally {
            counter.depth--;
          }
        },
      });
    }
  }
  const counter = state;
  return () => counter.depth > 0;
}
