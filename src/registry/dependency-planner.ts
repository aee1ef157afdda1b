import { MissingDependencyError } from '../errors';
import type { PluginRecord } from '../lifecycle/plugin-life';
import { resolveReferences } from '../ordering/dependency-references';
import { describeInjection, injectedPlugins } from '../ordering/injected-plugins';
import { orderIndices } from '../ordering/topological-order';
import { pluginKey, type PluginType } from '../plugin-type';
import type { PluginCatalog } from './plugin-catalog';

/** The plugins a run involves, dependencies first, and the imports that failed on the way. */
export interface Plan {
  readonly order: PluginRecord[];
  readonly loadFailures: Map<string, unknown>;
}

/** What the planner reads from the registry. */
export interface PlannerSource {
  catalog(): PluginCatalog;
  /** Grows whenever what a dependency means may change (plugins added, defaults changed, a restore). */
  revision(): number;
  /** Imports a record's class; rejects with the load error. */
  load(record: PluginRecord): Promise<unknown>;
  /**
   * What a plugin declares it needs: its `dependsOn` entries and the class whose injections count (its own,
   * or what stands in for it); `undefined` while its class is not loaded.
   */
  definitionOf(record: PluginRecord): { readonly dependsOn: readonly string[]; readonly cls?: unknown } | undefined;
  /**
   * The key of the plugin a bare `@inject(type)` gets, or `undefined` when there is none.
   *
   * @throws AmbiguousPluginError when several plugins of the type are known and none is the default.
   */
  defaultOf(type: PluginType): string | undefined;
}

/** One plugin's dependencies, resolved at one revision. */
interface Resolved {
  readonly revision: number;
  readonly records: readonly PluginRecord[];
  readonly keys: readonly string[];
  /** The references that named no known plugin, as declared. */
  readonly missing: readonly string[];
}

const NONE: Resolved = { revision: -1, records: [], keys: [], missing: [] };

/**
 * Resolves plugins' dependencies (their `dependsOn` entries and the plugins their constructors and
 * properties inject) and plans in which order they start. Works on record references and integer indices,
 * with its scratch data in arrays of its own indexed by record, so that it stays linear for very large
 * platforms and never writes to a record.
 */
export class DependencyPlanner {
  private plans = 0;
  /** By record index: the plan that last visited the record, and its position in that plan. */
  private readonly visited: number[] = [];
  private readonly positions: number[] = [];
  private readonly resolved: (Resolved | undefined)[] = [];

  constructor(private readonly source: PlannerSource) {}

  /**
   * Loads the closure of `roots` over their dependencies and orders it, dependencies first, ties by key.
   * In `collect` mode a plugin that cannot be imported is kept (with no known dependencies) and its error
   * returned, for startAll to report; in `throw` mode the first import error is thrown.
   *
   * @throws MissingDependencyError (for the first plugin by key with missing entries), CircularDependencyError, AmbiguousPluginError.
   */
  async plan(roots: readonly PluginRecord[], onLoadError: 'throw' | 'collect'): Promise<Plan> {
    const mark = ++this.plans;
    const { visited, positions } = this;
    const loadFailures = new Map<string, unknown>();
    const closure: PluginRecord[] = [];
    let frontier: PluginRecord[] = [];
    for (const record of roots) {
      if (visited[record.index] === mark) continue;
      visited[record.index] = mark;
      frontier.push(record);
    }
    let missing: { key: string; missing: readonly string[] } | undefined;
    while (frontier.length > 0) {
      const loads: Promise<unknown>[] = [];
      for (const record of frontier) {
        if (this.source.definitionOf(record) === undefined)
          loads.push(this.source.load(record).catch((error: unknown) => loadFailures.set(record.key, error)));
      }
      if (loads.length > 0) await Promise.all(loads);
      if (onLoadError === 'throw') {
        const failed = frontier.find((record) => loadFailures.has(record.key));
        if (failed !== undefined) throw loadFailures.get(failed.key);
      }
      const next: PluginRecord[] = [];
      for (const record of frontier) {
        closure.push(record);
        const resolved = this.resolve(record);
        for (const dep of resolved.records) {
          if (visited[dep.index] === mark) continue;
          visited[dep.index] = mark;
          next.push(dep);
        }
        if (resolved.missing.length > 0 && (missing === undefined || record.key < missing.key))
          missing = { key: record.key, missing: resolved.missing };
      }
      frontier = next;
    }
    if (missing !== undefined) throw new MissingDependencyError(missing.key, missing.missing);

    // Index the closure in key order, then order by index: ties fall to the smaller key.
    const catalog = this.source.catalog();
    const ranks = closure.map((record) => catalog.rank(record));
    if (!ranks.every((rank, i) => i === 0 || ranks[i - 1] < rank)) {
      closure.sort((a, b) => catalog.rank(a) - catalog.rank(b));
    }
    for (let i = 0; i < closure.length; i++) positions[closure[i].index] = i;
    const order = orderIndices(
      closure.length,
      (i, visit) => {
        for (const dep of this.resolve(closure[i]).records) visit(positions[dep.index]);
      },
      (i) => closure[i].key,
    );
    return { order: Array.from(order, (i) => closure[i]), loadFailures };
  }

  /**
   * A loaded plugin's dependencies as records, resolved once per revision.
   *
   * @throws AmbiguousPluginError for a bare name or a bare `@inject(type)` that several plugins match.
   */
  dependenciesOf(record: PluginRecord): readonly PluginRecord[] {
    return this.resolve(record).records;
  }

  /** The dependencies of a plugin as keys (empty until its class is loaded). */
  dependencyKeys(record: PluginRecord): readonly string[] {
    return this.resolve(record).keys;
  }

  /** The references of a loaded plugin that name no known plugin, as declared. */
  missingOf(record: PluginRecord): readonly string[] {
    return this.resolve(record).missing;
  }

  /** The plugins that depend on `key`, directly or not, among those whose dependencies are resolved; sorted. */
  dependentsOf(key: string): string[] {
    const revision = this.source.revision();
    const dependents = new Map<string, string[]>();
    for (const record of this.source.catalog().all()) {
      const resolved = this.resolved[record.index];
      if (resolved === undefined || resolved.revision !== revision) continue;
      for (const dep of resolved.keys) {
        const list = dependents.get(dep);
        if (list === undefined) dependents.set(dep, [record.key]);
        else list.push(record.key);
      }
    }
    const found = new Set<string>();
    const stack = [key];
    while (stack.length > 0) {
      for (const dependent of dependents.get(stack.pop() as string) ?? []) {
        if (!found.has(dependent)) {
          found.add(dependent);
          stack.push(dependent);
        }
      }
    }
    return [...found].sort();
  }

  private resolve(record: PluginRecord): Resolved {
    const definition = this.source.definitionOf(record);
    if (definition === undefined) return NONE;
    const revision = this.source.revision();
    const cached = this.resolved[record.index];
    if (cached !== undefined && cached.revision === revision) return cached;
    const catalog = this.source.catalog();
    const declared = resolveReferences(record.key, definition.dependsOn, catalog);
    const keys = declared.keys;
    const missing = declared.missing;
    for (const injected of injectedPlugins(definition.cls)) {
      const key =
        injected.name === undefined ? this.source.defaultOf(injected.type) : pluginKey(injected.type, injected.name);
      if (key !== undefined && catalog.hasKey(key)) {
        if (!keys.includes(key)) keys.push(key);
      } else if (!injected.optional) missing.push(describeInjection(injected));
    }
    const resolved: Resolved = {
      revision,
      records: keys.map((key) => catalog.get(key) as PluginRecord),
      keys,
      missing,
    };
    this.resolved[record.index] = resolved;
    return resolved;
  }
}

/** What the startup scheduler needs from a plan: keys in order and each key's dependencies. */
export function scheduleOf(
  plan: Plan,
  planner: DependencyPlanner,
): { order: string[]; deps: Map<string, readonly string[]> } {
  return {
    order: plan.order.map((record) => record.key),
    deps: new Map(plan.order.map((record) => [record.key, planner.dependencyKeys(record)])),
  };
}
