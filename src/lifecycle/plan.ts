import type { PluginRecord } from './plugin-life';

/** The plugins a run involves, dependencies first, and the imports that failed on the way. */
export interface Plan {
  readonly order: PluginRecord[];
  readonly loadFailures: Map<string, unknown>;
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
  /** A planned plugin's dependencies. */
  dependenciesOf(record: PluginRecord): readonly PluginRecord[];
}
