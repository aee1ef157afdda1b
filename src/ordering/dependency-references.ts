import { AmbiguousPluginError } from '../errors';

/** A plugin as the dependency graph sees it. */
export interface GraphNode {
  readonly key: string;
  readonly dependsOn: readonly string[];
}

/** Finds plugin keys by key or by bare name across every known plugin. */
export interface PluginIndex {
  hasKey(key: string): boolean;
  keysNamed(name: string): readonly string[];
}

/** The declared dependencies of some plugins, resolved to keys. */
export interface ResolvedDependencies {
  /** Each node's dependencies as keys, deduplicated, in declaration order. */
  readonly deps: Map<string, string[]>;
  /** Each node's entries that name no known plugin, as declared. */
  readonly missing: Map<string, string[]>;
}

/**
 * Resolves `dependsOn` entries to plugin keys: an entry with a `:` is a key; a bare name is looked up
 * across all types.
 *
 * @throws AmbiguousPluginError when a bare name matches plugins of several types.
 */
export function resolveDependencyReferences(nodes: Iterable<GraphNode>, index: PluginIndex): ResolvedDependencies {
  const deps = new Map<string, string[]>();
  const missing = new Map<string, string[]>();
  for (const node of nodes) {
    const resolved: string[] = [];
    for (const reference of node.dependsOn) {
      const key = resolveReference(reference, node.key, index);
      if (key === undefined) {
        const list = missing.get(node.key);
        if (list === undefined) missing.set(node.key, [reference]);
        else list.push(reference);
      } else if (!resolved.includes(key)) resolved.push(key);
    }
    deps.set(node.key, resolved);
  }
  return { deps, missing };
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
