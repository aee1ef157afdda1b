import { AmbiguousPluginError } from '../errors';

/** Finds plugin keys by key or by bare name across every known plugin. */
export interface PluginIndex {
  hasKey(key: string): boolean;
  keysNamed(name: string): readonly string[];
}

/** One plugin's declared dependencies, resolved. */
export interface ResolvedReferences {
  /** The dependencies as keys, deduplicated, in declaration order. */
  readonly keys: string[];
  /** The entries that name no known plugin, as declared. */
  readonly missing: string[];
}

/**
 * Resolves a plugin's `dependsOn` entries to plugin keys: an entry with a `:` is a key; a bare name is
 * looked up across all types.
 *
 * @throws AmbiguousPluginError when a bare name matches plugins of several types.
 */
export function resolveReferences(from: string, dependsOn: readonly string[], index: PluginIndex): ResolvedReferences {
  const keys: string[] = [];
  const missing: string[] = [];
  for (const reference of dependsOn) {
    const key = resolveReference(reference, from, index);
    if (key === undefined) missing.push(reference);
    else if (!keys.includes(key)) keys.push(key);
  }
  return { keys, missing };
}

function resolveReference(reference: string, from: string, index: PluginIndex): string | undefined {
  if (reference.includes(':')) return index.hasKey(reference) ? reference : undefined;
  const keys = index.keysNamed(reference);
  if (keys.length <= 1) return keys[0];
  throw new AmbiguousPluginError(
    reference,
    [...keys].sort(),
    `Plugin ${from} depends on "${reference}": write the dependency as one of these keys in its dependsOn.`,
  );
}
