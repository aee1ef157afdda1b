import type { Container } from 'inversify';
import type { PlatformConfig } from '../config/platform-config';
import type { HealthStatus } from '../health';
import type { PlatformStatus } from '../lifecycle/expected-set';
import { checkAll } from '../lifecycle/check-health';
import type { RefreshReport } from '../lifecycle/refresh-operation';
import type { PluginInfo } from '../lifecycle/plugin-life';
import type { ConfigSchema, PluginClass } from '../plugin/floe-plugin';
import { PLUGIN_TYPES, type PluginType } from '../plugin-type';
import { contextOf, endRunSpan, startSpan } from '../tracing';
import { describePlugin } from './describe-plugin';
import type { PartialConfigReport } from './config-application';
import { settingsParts } from './plugin-settings';
import { assembleRegistry, type RegistryParts } from './registry-parts';
import { resolveOptions, type PluginRegistryOptions, type ResolvedOptions } from './registry-options';
import type {
  DiscoveryReport,
  LiveConfigReport,
  PluginDescription,
  ReconfigureReport,
  ShutdownReport,
  StartupReport,
} from './reports';

/**
 * Finds, checks, binds, starts and stops floe plugins. Plugins are bound in `container` under their type
 * and named by their name, so services inject them with `@inject(PluginType.Compute) @named('duckdb')`.
 * A facade: the registry's data is one value (RegistryState), every change to what is live is an operation
 * of the lifecycle owner (PluginLifecycle), and each member hands over to the part that owns its concern.
 *
 * @example
 * ```ts
 * const registry = new PluginRegistry({ rootDir: '/srv/platform' });
 * registry.discoverAll();
 * const duckdb = await registry.get<ComputePlugin>(PluginType.Compute, 'duckdb');
 * ```
 */
export class PluginRegistry {
  private readonly options: ResolvedOptions;
  private readonly parts: RegistryParts;

  /** @throws PluginError `REGISTRY_OPTIONS_INVALID` or InvalidVersionError for bad options. */
  constructor(options?: PluginRegistryOptions) {
    this.options = resolveOptions(options);
    this.parts = assembleRegistry(this.options, (type, name) => this.get(type, name));
    settingsParts.set(this, this.parts.settings);
  }

  /** The Inversify container holding every plugin: the one passed in the options, or one made on first use. */
  get container(): Container {
    return this.parts.binder.container;
  }

  /** Scans the project and its node_modules for plugin packages, once; never imports, never throws for them. */
  discoverAll(): DiscoveryReport {
    return this.parts.intake.discoverAll();
  }

  /**
   * Registers a decorated plugin class by hand.
   *
   * @throws InvalidPluginError, DuplicatePluginError, PluginIncompatibleError.
   */
  register(cls: PluginClass): PluginInfo {
    return this.parts.intake.register(cls);
  }

  /**
   * The live plugin: imported on first access, started after what it depends on; later calls get the same
   * instance. Waits for a shutdown in progress, and never hands out an instance whose shutdown began.
   *
   * @throws PluginNotFoundError; PluginStartupError; a dependency's own error; `PLUGIN_START_CANCELLED`
   *   when a shutdown or restore was asked for meanwhile; load, version, config and dependency errors.
   */
  get<T = unknown>(type: PluginType, name: string): Promise<T> {
    const record = this.parts.state.catalog.find(type, name);
    if (record !== undefined && record.life.state === 'active') return Promise.resolve(record.life.instance as T);
    return this.parts.starts.get(type, name) as Promise<T>;
  }

  /** The discovered and registered plugins of one type, sorted by name. Imports nothing. */
  list(type: PluginType): PluginInfo[] {
    return this.parts.state.catalog.ofType(type).map((record) => this.parts.lifecycle.info(record));
  }

  /** The names of every known plugin for each of the eleven types, sorted; empty types included. */
  listAll(): Record<PluginType, string[]> {
    const { catalog } = this.parts.state;
    return Object.fromEntries(PLUGIN_TYPES.map((type) => [type, catalog.ofType(type).map((r) => r.name)])) as Record<
      PluginType,
      string[]
    >;
  }

  /** What the registry knows about one plugin. @throws PluginNotFoundError. */
  info(type: PluginType, name: string): PluginInfo {
    return this.parts.lifecycle.info(this.parts.state.require(type, name));
  }

  /**
   * Imports and checks a plugin without starting it, once even when called concurrently.
   *
   * @throws PluginNotFoundError; `PLUGIN_LOAD_FAILED`, InvalidPluginError or PluginIncompatibleError.
   */
  async load(type: PluginType, name: string): Promise<PluginInfo> {
    const record = this.parts.state.require(type, name);
    await this.parts.lifecycle.load(record);
    return this.parts.lifecycle.info(record);
  }

  /** Everything known about one plugin, for tools such as `floe info`. Imports nothing. @throws PluginNotFoundError. */
  describe(type: PluginType, name: string): PluginDescription {
    const record = this.parts.state.require(type, name);
    return describePlugin(
      record,
      this.parts.lifecycle.info(record),
      this.parts.planner,
      this.parts.state.current.settingsOf(record.key),
    );
  }

  /**
   * Validates raw settings against the plugin's schema and stores them (a failure keeps the old ones).
   *
   * @returns the validated instance, or `undefined` for a plugin without schema.
   * @throws PluginConfigurationError; `PLUGIN_ALREADY_ACTIVE` when starting, live or stopping when called.
   */
  configure(type: PluginType, name: string, raw: unknown): Promise<object | undefined> {
    return this.parts.settings.configure(type, name, raw);
  }

  /**
   * Applies a platform configuration: every plugin's settings and the default per type. All or nothing by
   * default. With `{ partial: true }`, what is valid is applied and a plugin whose settings are refused
   * fails to start with their error until valid ones come (`floe serve` and `floe doctor` do this). With
   * `{ live: true }`, the config is the whole desired state: live plugins whose settings changed restart
   * with their live dependents (a failure to start rolls everything back), what the last config listed and
   * this one does not returns to its defaults, and then every expected plugin that is not live starts again.
   *
   * @throws PlatformConfigError whose `errors` carry each plugin key and its own error (not with `partial`).
   */
  applyConfig(config: PlatformConfig): Promise<Record<string, object | undefined>>;
  applyConfig(config: PlatformConfig, options: { live: true }): Promise<LiveConfigReport>;
  applyConfig(config: PlatformConfig, options: { partial: true }): Promise<PartialConfigReport>;
  applyConfig(
    config: PlatformConfig,
    options?: { live?: boolean; partial?: boolean },
  ): Promise<Record<string, object | undefined> | LiveConfigReport | PartialConfigReport>;
  applyConfig(config: PlatformConfig, options: { live?: boolean; partial?: boolean } = {}) {
    if (options.live === true) return this.parts.config.applyLive(config);
    return options.partial === true ? this.parts.config.applyPartial(config) : this.parts.config.apply(config);
  }

  /**
   * Puts `replacement` (a class, or an object used as the instance) in place of a plugin, for tests,
   * until the matching `restore()`.
   *
   * @throws PluginNotFoundError; `PLUGIN_ALREADY_ACTIVE`; InvalidPluginError for a bad replacement.
   */
  override(type: PluginType, name: string, replacement: PluginClass | object): void {
    this.parts.state.override(type, name, replacement);
  }

  /** Makes a plugin the one a bare `@inject(type)` gets; undone by the matching `restore()`. @throws PluginNotFoundError. */
  setDefault(type: PluginType, name: string): void {
    this.parts.state.setDefault(type, name);
  }

  /** Stops every plugin, as `shutdownAll`, at the end of an `await using` block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdownAll();
  }

  /**
   * New settings for a live plugin: it and its live dependents restart with them (rolled back if they fail
   * to start); on a plugin that is not live it is `configure`.
   *
   * @throws PluginConfigurationError (nothing changed); `PLUGIN_ALREADY_ACTIVE` while starting or stopping.
   */
  reconfigure(type: PluginType, name: string, raw: unknown): Promise<ReconfigureReport> {
    return this.parts.settings.reconfigure(type, name, raw, this.parts.restart);
  }

  /** The config schema class: `null` when it declares none, `undefined` until loaded. @throws PluginNotFoundError. */
  configSchemaOf(type: PluginType, name: string): ConfigSchema | null | undefined {
    const options = this.parts.state.require(type, name).life.options;
    return options === undefined ? undefined : (options.configSchema ?? null);
  }

  /** The stored config of a plugin, or `undefined`. @throws PluginNotFoundError. */
  getConfig(type: PluginType, name: string): object | undefined {
    return this.parts.state.current.settingsOf(this.parts.state.require(type, name).key);
  }

  /**
   * The given plugins (default: all) and everything they need, dependencies first, ties broken by key.
   *
   * @throws MissingDependencyError, CircularDependencyError, AmbiguousPluginError, PluginNotFoundError.
   */
  async resolveDependencies(keys?: readonly string[]): Promise<PluginInfo[]> {
    const plan = await this.parts.planner.plan(this.parts.state.recordsOf(keys), 'throw');
    return this.parts.lifecycle.infos(plan.order);
  }

  /**
   * Starts the given plugins (default: all) and what they need, each as soon as its dependencies are live;
   * never throws for a failing plugin (it is reported, and what depends on it skipped).
   *
   * @throws MissingDependencyError, CircularDependencyError or AmbiguousPluginError before anything starts.
   */
  startAll(keys?: readonly string[]): Promise<StartupReport> {
    return this.parts.starts.startAll(keys);
  }

  /**
   * Scans the root again and changes only what changed: starts plugins whose packages appeared (when plugins
   * had been started), stops and forgets those whose packages disappeared (live dependents first: restarted
   * onto another provider, or failed with PLUGIN_DEPENDENCY_REMOVED), and replaces those whose package
   * changed (new code, the plugin and its live dependents restarted; rolled back when the new code fails to
   * start). One lifecycle operation: refreshes run one at a time. Never throws for a plugin.
   */
  refresh(): Promise<RefreshReport> {
    return this.parts.refresh();
  }

  /**
   * Stops every live plugin in reverse dependency order and cancels the starts in flight; overlapping calls
   * join one shutdown. Never throws; a second call stops nothing.
   */
  shutdownAll(): Promise<ShutdownReport> {
    const span = startSpan('floe.shutdownAll');
    const done = this.parts.lifecycle.shutdown(this.parts.state.catalog.all(), contextOf(span));
    void done.then((report) => endRunSpan(span, report.ok ? undefined : `${report.failed.length} failed to stop`));
    return done;
  }

  /**
   * The registry as probes see it: its phase (`idle`, `starting`, `running`, `stopping`) and every plugin
   * asked to be live since the last full shutdown, with its state and, when it is not live, why (an error
   * code). Read from the plugins' lives when called; nothing is kept aside.
   */
  status(): PlatformStatus {
    return this.parts.lifecycle.status((record) => this.parts.state.catalog.has(record));
  }

  /** True from the moment a `shutdownAll()` is asked for until a start asked for after it may begin. */
  get shuttingDown(): boolean {
    return this.parts.lifecycle.shuttingDown;
  }

  /** Checks every live plugin concurrently under the health timeout; never throws. */
  healthCheckAll(): Promise<Record<string, HealthStatus>> {
    return checkAll(this.parts.state.catalog.all(), this.options.timeouts.healthMs, this.options.logger);
  }

  /** Saves registry and container state together, for tests; snapshots stack. */
  snapshot(): void {
    this.parts.snapshots.take();
  }

  /**
   * Brings back the latest snapshot at once, then stops the plugins started since it.
   *
   * @throws PluginError `NO_SNAPSHOT` when there is no snapshot left.
   */
  restore(): Promise<void> {
    return this.parts.snapshots.restore();
  }
}
