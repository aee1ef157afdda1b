import { MissingDependencyError } from '../errors';
import { resolveReferences } from '../ordering/dependency-references';
import { orderIndices } from '../ordering/topological-order';
import type { PluginCatalog } from './plugin-catalog';
import type { PluginRecord } from './plugin-record';

/** The plugins a run involves, dependencies first, and the imports that failed on the way. */
export interface Plan {
  readonly order: PluginRecord[];
  readonly loadFailures: Map<string, unknown>;
}

/**
 * Resolves plugins' dependencies and plans in which order they start. Works on record references and
 * integer indices rather than key maps, so that it stays linear for very large platforms.
 */
export class DependencyPlanner {
  private plans = 0;

  constructor(
    private readonly catalog: () => PluginCatalog,
    /** Imports a record's class; rejects with the load error. */
    private readonly load: (record: PluginRecord) => Promise<unknown>,
  ) {}

  /**
   * Loads the closure of `roots` over their dependencies and orders it, dependencies first, ties by key.
   * In `collect` mode a plugin that cannot be imported is kept (with no known dependencies) and its error
   * returned, for startAll to report; in `throw` mode the first import error is thrown.
   *
   * @throws MissingDependencyError (for the first plugin by key with missing entries), CircularDependencyError, AmbiguousPluginError.
   */
  async plan(roots: readonly PluginRecord[], onLoadError: 'throw' | 'collect'): Promise<Plan> {
    const mark = ++this.plans;
    const loadFailures = new Map<string, unknown>();
    const closure: PluginRecord[] = [];
    let frontier: PluginRecord[] = [];
    for (const record of roots) {
      if (record.planMark === mark) continue;
      record.planMark = mark;
      frontier.push(record);
    }
    let missing: PluginRecord | undefined;
    while (frontier.length > 0) {
      const loads: Promise<unknown>[] = [];
      for (const record of frontier) {
        if (record.cls === undefined)
          loads.push(this.load(record).catch((error: unknown) => loadFailures.set(record.key, error)));
      }
      if (loads.length > 0) await Promise.all(loads);
      if (onLoadError === 'throw') {
        const failed = frontier.find((record) => loadFailures.has(record.key));
        if (failed !== undefined) throw loadFailures.get(failed.key);
      }
      const next: PluginRecord[] = [];
      for (const record of frontier) {
        closure.push(record);
        for (const dep of this.dependenciesOf(record)) {
          if (dep.planMark === mark) continue;
          dep.planMark = mark;
          next.push(dep);
        }
        if ((record.missing?.length ?? 0) > 0 && (missing === undefined || record.key < missing.key)) missing = record;
      }
      frontier = next;
    }
    if (missing !== undefined) throw new MissingDependencyError(missing.key, missing.missing as string[]);

    // Index the closure in key order (the catalog ranks records when it sorts them), then order by index.
    this.catalog().all();
    if (!closure.every((record, i) => i === 0 || (closure[i - 1].rank as number) < (record.rank as number))) {
      closure.sort((a, b) => (a.rank as number) - (b.rank as number));
    }
    for (let i = 0; i < closure.length; i++) closure[i].planIndex = i;
    const order = orderIndices(
      closure.length,
      (i, visit) => {
        for (const dep of closure[i].depRecords ?? []) visit(dep.planIndex as number);
      },
      (i) => closure[i].key,
    );
    return { order: Array.from(order, (i) => closure[i]), loadFailures };
  }

  /**
   * A loaded plugin's dependencies as records, resolved once per catalog version (adding plugins can
   * change what a bare name means); its unresolvable entries are left in `record.missing`.
   *
   * @throws AmbiguousPluginError for a bare name that several plugins share.
   */
  dependenciesOf(record: PluginRecord): readonly PluginRecord[] {
    if (record.options === undefined) return [];
    const catalog = this.catalog();
    if (record.depsVersion === catalog.version && record.depRecords !== undefined) return record.depRecords;
    const { keys, missing } = resolveReferences(record.key, record.options.dependsOn ?? [], catalog);
    record.deps = keys;
    record.depRecords = keys.map((key) => catalog.get(key) as PluginRecord);
    record.missing = missing;
    record.depsVersion = catalog.version;
    return record.depRecords;
  }

  /** Every plugin's resolved dependencies by key, for shutdown order; plugins never planned have none. */
  knownDependencies(): Map<string, string[]> {
    const deps = new Map<string, string[]>();
    for (const record of this.catalog().all()) if (record.deps !== undefined) deps.set(record.key, record.deps);
    return deps;
  }

  /** The plugins that depend on `key`, directly or not, among those whose dependencies are known; sorted. */
  dependentsOf(key: string): string[] {
    const dependents = new Map<string, string[]>();
    for (const [from, deps] of this.knownDependencies()) {
      for (const dep of deps) {
        const list = dependents.get(dep);
        if (list === undefined) dependents.set(dep, [from]);
        else list.push(from);
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
}

/** What the startup scheduler needs from a plan: keys in order and each key's dependencies. */
export function scheduleOf(plan: Plan): { order: string[]; deps: Map<string, string[]> } {
  return {
    order: plan.order.map((record) => record.key),
    deps: new Map(plan.order.map((record) => [record.key, record.deps ?? []])),
  };
}
