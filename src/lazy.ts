/**
 * Loads a module the first time it is needed, not when floe-core is imported: class-validator, winston,
 * js-yaml and OpenTelemetry's API cost more to load than the code that uses them, and many commands and
 * programs never need them.
 */
export function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      loaded = load();
      done = true;
    }
    return loaded as T;
  };
}
