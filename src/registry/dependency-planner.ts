import { MissingDependencyError } from '../errors';
import type { Plan, PlanSource } from '../lifecycle/plan';
import type { PluginRecord } from '../lifecycle/plugin-life';
import { resolveReferences } from '../ordering/dependency-references';
import { describeInjection, injectedPlugins } from '../ordering/injected-plugins';
import { FIRST_FREE_SLOT, OrderScratch, orderIndices } from '../ordering/topological-order';
import { isSortedBy } from '../ordering/sorted';
import { pluginKey, type PluginType } from '../plugin-type';
import { NumbersByIndex, ValuesByIndex } from './by-index';
import type { PluginCatalog } from './plugin-catalog';

export type { Plan };

/** What the planner reads from the registry. */
export interface PlannerSource {
  catalog(): PluginCatalog;
  /**
   * What resolutions are made under: a new object whenever what any dependency means may change (defaults
   * or overrides changed, a restore), derived from the registry's value. A plugin being added is told with
   * `DependencyPlanner.added` instead, which forgets only what it affects.
   */
  basis(): object;
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

/** One plugin's dependencies, resolved under one basis. */
interface Resolved {
  readonly basis: object;
  readonly records: readonly PluginRecord[];
  readonly keys: readonly string[];
  /** The references that named no known plugin, as declared. */
  readonly missing: readonly string[];
}

// The planner's own arrays in its OrderScratch.
const OFFSETS = FIRST_FREE_SLOT;
const TARGETS = FIRST_FREE_SLOT + 1;

const NOTHING: readonly never[] = Object.freeze([]);
const NONE: Resolved = { basis: {}, records: NOTHING, keys: NOTHING, missing: NOTHING };

/**
 * Resolves plugins' dependencies (their `dependsOn` entries and the plugins their constructors and
 * properties inject) and plans in which order they start. Works on record references and integer indices,
 * with its scratch data in arrays of its own indexed by record, so that it stays linear for very large
 * platforms and never writes to a record.
 */
export class DependencyPlanner implements PlanSource {
  /** By record index: its position in the plan being ordered (ordering is synchronous, so one table serves all). */
  private readonly positions = new NumbersByIndex();
  /** Working arrays of `order`, kept between calls (it is synchronous, so plans never share them). */
  private readonly scratch = new OrderScratch();
  private readonly resolved = new ValuesByIndex<Resolved>();
  /**
   * The resolutions a new plugin can change, by record index: those that looked a bare name up (by the
   * name), those that asked for a type's default (by the type), and those with missing references.
   */
  private readonly byBareName = new Map<string, Set<number>>();
  private readonly byDefaultOf = new Map<PluginType, Set<number>>();
  private readonly withMissing = new Set<number>();
  /** Counts the resolutions made and forgotten: an order made from the same count is made from the same ones. */
  private generation = 0;
  /** The order of every plugin, kept while the catalog, the basis and every resolution stay as they were. */
  private lastOfAll?: {
    readonly all: readonly PluginRecord[];
    readonly basis: object;
    readonly generation: number;
    readonly order: readonly PluginRecord[];
  };

  constructor(private readonly source: PlannerSource) {}

  /**
   * Loads the closure of `roots` over their dependencies and orders it, dependencies first, ties by key.
   * In `collect` mode a plugin that cannot be imported is kept (with no known dependencies) and its error
   * returned, for startAll to report; in `throw` mode the first import error is thrown.
   *
   * @throws MissingDependencyError (for the first plugin by key with missing entries), CircularDependencyError, AmbiguousPluginError.
   */
  async plan(
    roots: readonly PluginRecord[],
    onLoadError: 'throw' | 'collect',
    // All plugins (the common case) are their own closure, already in key order: no walk, no sort.
    everything = roots === this.source.catalog().all(),
  ): Promise<Plan> {
    const loadFailures = new Map<string, unknown>();
    const walkedUnder = this.source.basis();
    const last = this.lastOfAll;
    if (everything && last?.all === roots && last.basis === walkedUnder && last.generation === this.generation)
      return { order: last.order, loadFailures };
    const closure = everything ? roots : await this.walk(roots, onLoadError, loadFailures);
    // A default or override changed while classes were imported: the walk may have followed dependencies
    // that are not the plugins' dependencies any more, and missed their new ones. Walk again.
    if (!everything && this.source.basis() !== walkedUnder) return this.plan(this.current(roots), onLoadError, false);
    let basis = this.source.basis();
    const resolutions = new Array<Resolved>(closure.length);
    // One pass over the plugins when all are imported, which is every time but the first.
    const unloaded: number[] = [];
    for (let i = 0; i < closure.length; i++) {
      if ((resolutions[i] = this.resolve(closure[i], basis)) === NONE) unloaded.push(i);
    }
    if (everything && unloaded.length > 0) {
      await this.loadAll(
        unloaded.map((i) => closure[i]),
        onLoadError,
        loadFailures,
      );
      // Plugins registered while classes were imported may be dependencies too: walk to find them.
      if (this.source.catalog().all() !== roots) return this.plan(this.current(roots), onLoadError, false);
      // What changed while they were imported (a default, an override) may change any resolution.
      const changed = this.source.basis() !== basis;
      basis = this.source.basis();
      for (const i of changed ? closure.keys() : unloaded) resolutions[i] = this.resolve(closure[i], basis);
    }
    // A plugin added while classes were imported resolves a reference that was missing when the walk
    // passed (the basis stays: an addition only makes the planner forget the resolutions it can change).
    // Its new dependency is then outside the closure: walk again.
    if (!everything && !isClosed(closure, resolutions)) return this.plan(this.current(roots), onLoadError, false);
    let missing: { key: string; missing: readonly string[] } | undefined;
    for (let i = 0; i < closure.length; i++) {
      const found = resolutions[i].missing;
      if (found.length > 0 && (missing === undefined || closure[i].key < missing.key))
        missing = { key: closure[i].key, missing: found };
    }
    if (missing !== undefined) throw new MissingDependencyError(missing.key, missing.missing);
    const order = this.order(closure, resolutions);
    // Kept when it was made in one go from what was already imported: nothing could change while it was made.
    if (everything && unloaded.length === 0)
      this.lastOfAll = { all: closure, basis, generation: this.generation, order };
    return { order, loadFailures };
  }

  /** Imports every plugin of `records` not imported yet, together. */
  private async loadAll(
    records: readonly PluginRecord[],
    onLoadError: 'throw' | 'collect',
    loadFailures: Map<string, unknown>,
  ): Promise<readonly PluginRecord[]> {
    const loads: Promise<unknown>[] = [];
    for (const record of records) {
      if (!this.isLoaded(record))
        loads.push(this.source.load(record).catch((error: unknown) => loadFailures.set(record.key, error)));
    }
    if (loads.length === 0) return records;
    await Promise.all(loads);
    if (onLoadError === 'throw' && loadFailures.size > 0) {
      const failed = records.find((record) => loadFailures.has(record.key));
      if (failed !== undefined) throw loadFailures.get(failed.key);
    }
    return records;
  }

  /** The closure of `roots` over their dependencies, imported level by level, in key order. */
  private async walk(
    roots: readonly PluginRecord[],
    onLoadError: 'throw' | 'collect',
    loadFailures: Map<string, unknown>,
  ): Promise<PluginRecord[]> {
    // Its own set, not a table shared with other plans: plans overlap while classes are imported.
    const visited = new Set<PluginRecord>();
    const closure: PluginRecord[] = [];
    let frontier: PluginRecord[] = [];
    const reach = (record: PluginRecord) => {
      if (visited.has(record)) return;
      visited.add(record);
      frontier.push(record);
    };
    for (const record of roots) reach(record);
    while (frontier.length > 0) {
      const level = await this.loadAll(frontier, onLoadError, loadFailures);
      frontier = [];
      for (const record of level) {
        closure.push(record);
        for (const dep of this.resolve(record).records) reach(dep);
      }
    }
    const catalog = this.source.catalog();
    if (!isSortedBy(closure, (record) => catalog.rank(record)))
      closure.sort((a, b) => catalog.rank(a) - catalog.rank(b));
    return closure;
  }

  /**
   * Orders plugins given in key order (each with its dependencies among them), dependencies first.
   * `resolutions[i]` holds the dependencies of `closure[i]`.
   */
  private order(closure: readonly PluginRecord[], resolutions: readonly Resolved[]): readonly PluginRecord[] {
    // Every plugin, in key order, is placed by its rank, which the catalog keeps; any other set gets its own.
    const catalog = this.source.catalog();
    let positions: NumbersByIndex;
    if (closure === catalog.all()) {
      positions = catalog.ranks();
    } else {
      positions = this.positions;
      for (let i = 0; i < closure.length; i++) positions.set(closure[i].index, i);
    }
    const { scratch } = this;
    const offsets = scratch.take(OFFSETS, closure.length + 1, false);
    offsets[0] = 0;
    for (let i = 0; i < closure.length; i++) offsets[i + 1] = offsets[i] + resolutions[i].records.length;
    const targets = scratch.take(TARGETS, offsets[closure.length], false);
    for (let i = 0, e = 0; i < closure.length; i++) {
      for (const dep of resolutions[i].records) targets[e++] = positions.get(dep.index);
    }
    // Everything taken from the scratch is used up before this returns: orders never share it.
    const order = orderIndices({ offsets, targets }, (i) => closure[i].key, scratch);
    const ordered = new Array<PluginRecord>(order.length);
    for (let i = 0; i < order.length; i++) ordered[i] = closure[order[i]];
    return ordered;
  }

  /**
   * Forgets the resolutions a newly added plugin can change: a bare name it now also answers to (which may
   * become ambiguous), the default of its type, and references that named nothing so far. Every other
   * resolution names plugins by key and stays as it was.
   */
  added(record: PluginRecord): void {
    this.forget(this.byBareName.get(record.name));
    this.forget(this.byDefaultOf.get(record.type));
    this.forget(this.withMissing);
  }

  /** The records the catalog holds now for these keys (a refresh may have replaced some); others as they are. */
  private current(roots: readonly PluginRecord[]): PluginRecord[] {
    const catalog = this.source.catalog();
    return roots.map((root) => catalog.get(root.key) ?? root);
  }

  private forget(indexes: Set<number> | undefined): void {
    if (indexes === undefined || indexes.size === 0) return;
    this.generation++;
    for (const index of indexes) this.resolved.set(index, undefined);
    indexes.clear();
  }

  /**
   * A loaded plugin's dependencies as records, resolved once per basis.
   *
   * @throws AmbiguousPluginError for a bare name or a bare `@inject(type)` that several plugins match.
   */
  dependenciesOf(record: PluginRecord): readonly PluginRecord[] {
    return this.resolve(record).records;
  }

  /** A plugin's dependencies as records and as keys, resolved once per basis (arrays never changed afterwards). */
  resolution(record: PluginRecord): { readonly records: readonly PluginRecord[]; readonly keys: readonly string[] } {
    return this.resolve(record);
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
    const basis = this.source.basis();
    const dependents = new Map<string, string[]>();
    for (const record of this.source.catalog().all()) {
      const resolved = this.resolved.get(record.index);
      if (resolved === undefined || resolved.basis !== basis) continue;
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

  private resolve(record: PluginRecord, basis = this.source.basis()): Resolved {
    const cached = this.resolved.get(record.index);
    if (cached !== undefined && cached.basis === basis) return cached;
    const definition = this.source.definitionOf(record);
    if (definition === undefined) return NONE;
    const catalog = this.source.catalog();
    const declared = resolveReferences(record.key, definition.dependsOn, catalog);
    const keys = declared.keys;
    const missing = declared.missing;
    for (const reference of definition.dependsOn) {
      if (!reference.includes(':')) watch(this.byBareName, reference, record.index);
    }
    for (const injected of injectedPlugins(definition.cls)) {
      if (injected.name === undefined) watch(this.byDefaultOf, injected.type, record.index);
      const key =
        injected.name === undefined ? this.source.defaultOf(injected.type) : pluginKey(injected.type, injected.name);
      if (key !== undefined && catalog.hasKey(key)) {
        if (!keys.includes(key)) keys.push(key);
      } else if (!injected.optional) missing.push(describeInjection(injected));
    }
    if (missing.length > 0) this.withMissing.add(record.index);
    // Kept while the basis holds, for every plugin: arrays of their exact length, none when empty.
    const resolved: Resolved = {
      basis,
      records: keys.length === 0 ? NOTHING : keys.map((key) => catalog.get(key) as PluginRecord),
      keys: keys.length === 0 ? NOTHING : keys.slice(),
      missing: missing.length === 0 ? NOTHING : missing,
    };
    this.resolved.set(record.index, resolved);
    this.generation++;
    return resolved;
  }

  /** Whether a record's class (or what stands in for it) is there to read its dependencies from. */
  private isLoaded(record: PluginRecord): boolean {
    const cached = this.resolved.get(record.index);
    return (
      (cached !== undefined && cached.basis === this.source.basis()) || this.source.definitionOf(record) !== undefined
    );
  }
}

/** Whether every dependency of the plugins of `closure` (`resolutions[i]` holds those of `closure[i]`) is in it. */
function isClosed(closure: readonly PluginRecord[], resolutions: readonly Resolved[]): boolean {
  const members = new Set(closure);
  return resolutions.every((resolved) => resolved.records.every((dep) => members.has(dep)));
}

function watch<K>(watchers: Map<K, Set<number>>, key: K, index: number): void {
  const indexes = watchers.get(key);
  if (indexes === undefined) watchers.set(key, new Set([index]));
  else indexes.add(index);
}
