import type { PluginRecord } from './plugin-life';

/** The plugins a run involves, dependencies first, and the imports that failed on the way. */
export interface Plan {
  /** Never changed: the planner may hand the same array to later plans. */
  readonly order: readonly PluginRecord[];
  readonly loadFailures: Map<string, unknown>;
}

/** A plugin's dependencies, as records and as keys (the arrays are never changed). */
export interface Resolution {
  readonly records: readonly PluginRecord[];
  readonly keys: readonly string[];
  /** References that name no known plugin now (a refresh may have removed one since it was planned). */
  readonly missing?: readonly string[];
}

/** Where starts get their plans: the registry's dependency planner. */
export interface PlanSource {
  /**
   * Loads the closure of `roots` over their dependencies and orders it, dependencies first. In `collect`
   * mode a plugin that cannot be imported is kept and its error returned; in `throw` mode it is thrown.
   *
   * @throws MissingDependencyError, CircularDependencyError, AmbiguousPluginError.
   */
  plan(roots: readonly PluginRecord[], onLoadError: 'throw' | 'collect'): Promise<Plan>;
  /** A planned plugin's dependencies, as records and as keys. */
  resolution(record: PluginRecord): Resolution;
}
