import { PluginLifecycle } from '../lifecycle/plugin-lifecycle';
import { refreshWith, type RefreshReport } from '../lifecycle/refresh-operation';
import { restartWith } from '../lifecycle/restart-operation';
import type { StartupReport } from '../lifecycle/reports';
import { StartOperations } from '../lifecycle/start-operations';
import type { PluginType } from '../plugin-type';
import { ContainerBinder } from './container-binder';
import { DependencyPlanner } from './dependency-planner';
import { InstanceContainer } from './instance-container';
import { PluginIntake } from './plugin-intake';
import { ConfigApplication } from './config-application';
import { PluginSettings, type Restart } from './plugin-settings';
import type { ResolvedOptions } from './registry-options';
import { RegistryState } from './registry-state';
import { Snapshots } from './snapshots';
import { findDefaultKey } from './type-defaults';

/** The single-purpose parts a PluginRegistry delegates to. */
export interface RegistryParts {
  readonly state: RegistryState;
  readonly lifecycle: PluginLifecycle;
  readonly planner: DependencyPlanner;
  readonly settings: PluginSettings;
  readonly config: ConfigApplication;
  readonly binder: ContainerBinder;
  readonly intake: PluginIntake;
  readonly starts: StartOperations;
  readonly snapshots: Snapshots;
  /** Brings changed settings live: the lifecycle's restart operation over these parts. */
  readonly restart: Restart;
  /** Brings the root's packages up to date: the lifecycle's refresh operation over these parts. */
  readonly refresh: () => Promise<RefreshReport>;
}

/**
 * Makes the parts of a registry and connects them: each gets what it needs from the others as functions,
 * so that none imports another's class but its interface, and none imports the facade.
 *
 * @param get - the registry's `get`, for container bindings that start a plugin on `getAsync`.
 */
export function assembleRegistry(
  options: ResolvedOptions,
  get: (type: PluginType, name: string) => Promise<unknown>,
): RegistryParts {
  const { logger, now, defaults, container } = options;
  const state = new RegistryState(defaults);
  let instances: InstanceContainer | undefined;
  // Parts made below are only called later, once every part exists.
  const parts = {} as { -readonly [K in keyof RegistryParts]: RegistryParts[K] };
  const lifecycle = new PluginLifecycle(options, {
    host: (hooks) => (instances = new InstanceContainer(() => parts.binder.container, hooks)),
    prepare: (record) => parts.settings.prepare(record),
    waitingOn: (key) => parts.planner.dependentsOf(key),
    replacementOf: (record) => state.replacementOf(record),
    dependenciesOf: (record) => parts.planner.resolution(record),
    isKnown: (record) => state.catalog.has(record),
  });
  const planner = new DependencyPlanner({
    catalog: () => state.catalog,
    basis: () => state.basis(),
    load: (record) => lifecycle.load(record),
    definitionOf: (record) => state.definitionOf(record),
    defaultOf: (type) => findDefaultKey(state.catalog, type, state.current.defaults[type]),
  });
  const settings = new PluginSettings(state, (record) => lifecycle.load(record));
  const starts = new StartOperations(lifecycle, planner, {
    logger,
    now,
    recordsOf: (keys) => state.recordsOf(keys),
    require: (type, name) => state.require(type, name),
    isKnown: (record) => state.catalog.has(record),
    ready: () => settings.ready(),
  });
  const binder = new ContainerBinder(container, state, get, () => instances?.constructing === true);
  const intake = new PluginIntake(options, state, {
    create: (cls) => lifecycle.create(cls),
    info: (record) => lifecycle.info(record),
    added: (record) => {
      planner.added(record);
      binder.added(record);
    },
  });
  const forget = (record: Parameters<InstanceContainer['forget']>[0]) => instances?.forget(record) ?? Promise.resolve();
  const snapshots = new Snapshots(state, lifecycle, binder, forget, logger);
  const restart: Restart = (change) => restartWith(lifecycle, starts, planner, change);
  const refresh = (): Promise<RefreshReport> => {
    let report: ReturnType<PluginIntake['rescan']>['report'] | undefined;
    return refreshWith(lifecycle, starts, planner, {
      scan: () => {
        const found = intake.rescan();
        report = found.report;
        return found;
      },
      all: () => state.catalog.all(),
      dependentsOf: (key) => planner.dependentsOf(key),
      take: (entry) => intake.take(entry),
      drop: async (record) => {
        intake.drop(record);
        await forget(record);
      },
      putBack: (record) => intake.putBack(record),
      done: () => intake.rediscovered(report as NonNullable<typeof report>),
    });
  };
  const config = new ConfigApplication(state, settings, {
    restart,
    heal: () => heal(lifecycle, starts, state),
  });
  return Object.assign(parts, {
    state,
    lifecycle,
    planner,
    settings,
    config,
    binder,
    intake,
    starts,
    snapshots,
    restart,
    refresh,
  });
}

// Starts every expected plugin that is not live nor on its way; a refusal of the whole start is reported
// against each of them rather than thrown, since the change before it was applied.
function heal(
  lifecycle: PluginLifecycle,
  starts: StartOperations,
  state: RegistryState,
): Promise<StartupReport> | undefined {
  const keys = lifecycle
    .status((record) => state.catalog.has(record))
    .expected.filter((plugin) => plugin.state !== 'active' && plugin.state !== 'starting')
    .map((plugin) => plugin.key);
  if (keys.length === 0) return undefined;
  return starts.startAll(keys).catch((error: unknown) => ({
    ok: false,
    started: [],
    failed: keys.map((key) => ({ key, error })),
    skipped: [],
    durationMs: 0,
    timings: {},
    criticalPath: [],
  }));
}
