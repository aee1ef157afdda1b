import type { Container } from 'inversify';
import type { PlatformConfig } from '../config/platform-config';
import { PlatformConfigError, type PlatformConfigProblem } from '../config/platform-config-error';
import { discoverPlugins } from '../discovery/discover-plugins';
import { DuplicatePluginError, PluginError, PluginIncompatibleError, PluginNotFoundError, messageOf } from '../errors';
import type { HealthStatus } from '../health';
import { checkHealth } from '../lifecycle/check-health';
import { scheduleShutdown } from '../lifecycle/stop-scheduler';
import { scheduleStartup } from '../lifecycle/start-scheduler';
import { requirePluginOptions, type PluginClass } from '../plugin/floe-plugin';
import { PLUGIN_TYPES, parsePluginKey, pluginKey, type PluginType } from '../plugin-type';
import { isCompatible } from '../version';
import { bindNamedPlugin, bindTypeDefault } from './container-bindings';
import { DependencyPlanner, scheduleOf } from './dependency-planner';
import { describePlugin } from './describe-plugin';
import { PluginActivator } from './plugin-activator';
import { PluginCatalog } from './plugin-catalog';
import { createRecord, toInfo, type PluginInfo, type PluginRecord } from './plugin-record';
import { resolveOptions, type PluginRegistryOptions, type ResolvedOptions } from './registry-options';
import type { DiscoveryReport, PluginDescription, ShutdownReport, StartupReport } from './reports';
import { buildStartupReport } from './startup-report';
import { defaultPluginKey } from './type-defaults';

/** The registry state that snapshots save and restore, together with the container's. */
interface Snapshot {
  readonly catalog: PluginCatalog;
  readonly defaults: Partial<Record<PluginType, string>>;
  readonly discovery?: DiscoveryReport;
}

const ignore = () => undefined;

/**
 * Finds, checks, binds, starts and stops floe plugins. Plugins are bound in `container` under their type
 * and named by their name, so services inject them with `@inject(PluginType.Compute) @named('duckdb')`.
 *
 * @example
 * ```ts
 * const registry = new PluginRegistry({ rootDir: '/srv/platform' });
 * registry.discoverAll();
 * const duckdb = await registry.get<ComputePlugin>(PluginType.Compute, 'duckdb');
 * ```
 */
export class PluginRegistry {
  /** The Inversify container holding every plugin. */
  readonly container: Container;
  private readonly options: ResolvedOptions;
  private readonly activator: PluginActivator;
  private readonly planner: DependencyPlanner;
  private catalog = new PluginCatalog();
  private defaults: Partial<Record<PluginType, string>>;
  private discovery?: DiscoveryReport;
  private readonly snapshots: Snapshot[] = [];

  /**
   * @throws PluginError `REGISTRY_OPTIONS_INVALID` or InvalidVersionError for bad options.
   */
  constructor(options?: PluginRegistryOptions) {
    this.options = resolveOptions(options);
    this.container = this.options.container;
    this.defaults = { ...this.options.defaults };
    this.activator = new PluginActivator(
      this.options,
      () => this.catalog,
      (key) => this.planner.dependentsOf(key),
    );
    this.planner = new DependencyPlanner(
      () => this.catalog,
      (record) => this.activator.load(record),
    );
  }

  /**
   * Scans the project's package.json and every package in its node_modules for `floe.plugins` entries,
   * once; later calls return the same report. Nothing is imported. Problems become issues and logged
   * warnings; discovery never throws for them.
   */
  discoverAll(): DiscoveryReport {
    if (this.discovery !== undefined) return this.discovery;
    const began = this.options.now();
    const result = discoverPlugins(this.options.rootDir, {
      ...(this.options.files === undefined ? {} : { files: this.options.files }),
      isTaken: (key) => (this.catalog.hasKey(key) ? 'a plugin registered by hand' : undefined),
    });
    for (const entry of result.entries) {
      this.add(
        createRecord({
          key: entry.key,
          type: entry.type,
          name: entry.name,
          source: 'discovered',
          entry,
          state: 'discovered',
        }),
      );
    }
    const { logger } = this.options;
    for (const issue of result.issues) {
      logger.warn(issue.message, {
        event: 'discovery.issue',
        code: issue.code,
        package: issue.packageName,
        path: issue.path,
      });
    }
    for (const note of result.notes)
      logger.debug(`skipped ${note.dir}: ${note.detail}`, { event: 'discovery.skipped', path: note.dir });
    this.discovery = {
      found: result.entries.map((entry) => toInfo(this.catalog.get(entry.key) as PluginRecord)),
      issues: result.issues,
      packagesScanned: result.packagesScanned,
    };
    logger.info(`discovered ${result.entries.length} plugins in ${result.packagesScanned} packages`, {
      event: 'discovery.done',
      durationMs: Math.round(this.options.now() - began),
      issues: result.issues.length,
    });
    return this.discovery;
  }

  /**
   * Registers a decorated plugin class by hand; it is then known exactly like a discovered one.
   *
   * @throws InvalidPluginError for an undecorated class, DuplicatePluginError for a known key,
   *   PluginIncompatibleError for an incompatible apiVersion.
   */
  register(cls: PluginClass): PluginInfo {
    const options = requirePluginOptions(cls, 'register()');
    const key = pluginKey(options.type, options.name);
    const existing = this.catalog.get(key);
    if (existing !== undefined) {
      throw new DuplicatePluginError(
        options.type,
        options.name,
        existing.entry === undefined
          ? 'already registered'
          : `already provided by package ${existing.entry.packageName}`,
      );
    }
    if (!isCompatible(options.apiVersion, this.options.apiVersion)) {
      throw new PluginIncompatibleError(options.name, options.apiVersion, this.options.apiVersion);
    }
    const record = createRecord({
      key,
      type: options.type,
      name: options.name,
      source: 'registered',
      cls,
      options,
      state: 'loaded',
    });
    this.add(record);
    return toInfo(record);
  }

  /**
   * The live plugin: imported on first access (once, even when called concurrently), resolved through
   * the container after the plugins it depends on, started by the container's activation hook.
   *
   * @throws PluginNotFoundError for an unknown plugin; PluginStartupError when its startup throws or times
   *   out; a dependency's own error when a dependency fails; load, version, config and dependency errors.
   */
  get<T = unknown>(type: PluginType, name: string): Promise<T> {
    const record = this.catalog.find(type, name);
    if (record !== undefined && record.state === 'active') return Promise.resolve(record.instance as T);
    return this.bringUp(type, name) as Promise<T>;
  }

  /** The discovered and registered plugins of one type, sorted by name. Imports nothing. */
  list(type: PluginType): PluginInfo[] {
    return this.catalog.ofType(type).map(toInfo);
  }

  /** The names of every known plugin for each of the eleven types, sorted; empty types included. */
  listAll(): Record<PluginType, string[]> {
    return Object.fromEntries(
      PLUGIN_TYPES.map((type) => [type, this.catalog.ofType(type).map((r) => r.name)]),
    ) as Record<PluginType, string[]>;
  }

  /**
   * What the registry knows about one plugin.
   *
   * @throws PluginNotFoundError for an unknown plugin.
   */
  info(type: PluginType, name: string): PluginInfo {
    return toInfo(this.require(type, name));
  }

  /**
   * Imports and checks a plugin without starting it: its module, its metadata and its API version.
   * Once even when called concurrently; a failure is not cached.
   *
   * @throws PluginNotFoundError; PluginError `PLUGIN_LOAD_FAILED`, InvalidPluginError or PluginIncompatibleError.
   */
  async load(type: PluginType, name: string): Promise<PluginInfo> {
    const record = this.require(type, name);
    await this.activator.load(record);
    return toInfo(record);
  }

  /**
   * Everything known about one plugin, for tools such as `floe info`: its info, where it comes from, its
   * description, resolved dependencies, config schema and config, and its last failure. Imports nothing;
   * call `load` first to learn what lives on the decorator.
   *
   * @throws PluginNotFoundError for an unknown plugin.
   */
  describe(type: PluginType, name: string): PluginDescription {
    return describePlugin(this.require(type, name), (record) => this.planner.dependenciesOf(record));
  }

  /**
   * Validates raw configuration against the plugin's schema and stores it; the plugin's constructor then
   * receives it. Imports the plugin if needed; starts nothing. A failure keeps the previous config.
   *
   * @returns the validated instance, or `undefined` for a plugin without schema.
   * @throws PluginConfigurationError with every problem; PluginError `PLUGIN_ALREADY_ACTIVE` once the plugin is live or starting.
   */
  async configure(type: PluginType, name: string, raw: unknown): Promise<object | undefined> {
    const record = this.require(type, name);
    this.refuseIfLive(record);
    await this.activator.load(record);
    this.refuseIfLive(record);
    const config = await this.activator.validate(record, raw);
    if (config !== undefined) this.activator.store(record, config);
    return config;
  }

  /**
   * Applies a platform configuration (see loadPlatformConfig): every plugin's settings and the default
   * plugin per type. All or nothing: every problem of every plugin is reported at once and then nothing
   * is applied.
   *
   * @returns the validated config of each plugin listed (`undefined` for a plugin without schema).
   * @throws PlatformConfigError whose `errors` carry the plugin key and that plugin's own error.
   */
  async applyConfig(config: PlatformConfig): Promise<Record<string, object | undefined>> {
    const problems: PlatformConfigProblem[] = [];
    const accepted: [PluginRecord, object | undefined][] = [];
    for (const [key, raw] of Object.entries(config.plugins)) {
      try {
        const { type, name } = parsePluginKey(key);
        const record = this.require(type, name);
        this.refuseIfLive(record);
        await this.activator.load(record);
        accepted.push([record, await this.activator.validate(record, raw)]);
      } catch (error) {
        problems.push({ pluginKey: key, error });
      }
    }
    for (const [type, name] of Object.entries(config.defaults) as [PluginType, string][]) {
      if (this.catalog.find(type, name) === undefined) {
        problems.push({
          pluginKey: pluginKey(type, name),
          error: new PluginNotFoundError(
            type,
            name,
            this.catalog.ofType(type).map((r) => r.name),
          ),
        });
      }
    }
    if (problems.length > 0) throw new PlatformConfigError(problems, config.source, config.locations);
    const applied: Record<string, object | undefined> = {};
    for (const [record, validated] of accepted) {
      if (validated !== undefined) this.activator.store(record, validated);
      applied[record.key] = validated;
    }
    Object.assign(this.defaults, config.defaults);
    return applied;
  }

  /** The stored config of a plugin, or `undefined`. @throws PluginNotFoundError for an unknown plugin. */
  getConfig(type: PluginType, name: string): object | undefined {
    return this.require(type, name).config;
  }

  /**
   * The given plugins (default: all known) and everything they need, dependencies first, ties broken by
   * key. Imports classes (dependsOn lives on the decorator); an import error is let through.
   *
   * @throws MissingDependencyError, CircularDependencyError, AmbiguousPluginError, PluginNotFoundError.
   */
  async resolveDependencies(keys?: readonly string[]): Promise<PluginInfo[]> {
    const plan = await this.planner.plan(this.rootsOf(keys), 'throw');
    return plan.order.map(toInfo);
  }

  /**
   * Starts the given plugins (default: all known) and what they depend on, each as soon as its own
   * dependencies are up, independent ones concurrently, each startup under its timeout. Never throws for
   * a failing plugin: it is reported, and everything depending on it is skipped.
   *
   * @throws MissingDependencyError, CircularDependencyError or AmbiguousPluginError before anything starts.
   */
  async startAll(keys?: readonly string[]): Promise<StartupReport> {
    const { now, logger } = this.options;
    const began = now();
    const plan = await this.planner.plan(this.rootsOf(keys), 'collect');
    const { order, deps } = scheduleOf(plan);
    const outcome = await scheduleStartup(
      order,
      deps,
      (key) => {
        const failure = plan.loadFailures.get(key);
        return failure === undefined
          ? this.activator.start(this.catalog.get(key) as PluginRecord)
          : Promise.reject(failure);
      },
      now,
    );
    const report = buildStartupReport(plan, deps, outcome, now() - began);
    for (const { key, blockedBy } of report.skipped) {
      logger.warn(`plugin ${key} was not started because ${blockedBy} failed`, {
        event: 'plugin.skipped',
        plugin: key,
        blockedBy,
      });
    }
    logger.info(
      `started ${report.started.length} plugins, ${report.failed.length} failed, ${report.skipped.length} skipped`,
      {
        event: 'startup.done',
        durationMs: Math.round(report.durationMs),
      },
    );
    return report;
  }

  /**
   * Stops every live plugin through the container's deactivation hook, each only after the live plugins
   * depending on it have stopped or failed to, under its timeout. Never throws; a second call stops nothing.
   */
  async shutdownAll(): Promise<ShutdownReport> {
    const live = this.catalog
      .all()
      .filter((record) => record.state === 'active')
      .map((record) => record.key);
    const outcome = await this.stopPlugins(live);
    return { ok: outcome.failed.length === 0, stopped: outcome.stopped, failed: outcome.failed };
  }

  /**
   * Checks every live plugin concurrently, each under the health timeout, and never throws: a throw, a
   * timeout or a result that is not a HealthStatus is Unhealthy. Returns within one timeout.
   */
  async healthCheckAll(): Promise<Record<string, HealthStatus>> {
    const live = this.catalog.all().filter((record) => record.state === 'active');
    const statuses = await Promise.all(
      live.map((record) => checkHealth(record.key, record.instance, this.options.timeouts.healthMs)),
    );
    return Object.fromEntries(live.map((record, i) => [record.key, statuses[i]]));
  }

  /** Saves registry and container state together, for tests; snapshots stack. */
  snapshot(): void {
    this.container.snapshot();
    this.snapshots.push({
      catalog: this.catalog.clone(),
      defaults: { ...this.defaults },
      ...(this.discovery === undefined ? {} : { discovery: this.discovery }),
    });
  }

  /**
   * Brings back the state of the latest snapshot. Plugins started since then are stopped first, so no
   * plugin is left running unowned; plugins live at the snapshot and stopped since come back as stopped.
   *
   * @throws PluginError `NO_SNAPSHOT` (synchronously) when there is no snapshot left.
   */
  restore(): Promise<void> {
    const snapshot = this.snapshots.pop();
    if (snapshot === undefined) {
      throw new PluginError(
        'NO_SNAPSHOT',
        'restore() was called without a matching snapshot(); call snapshot() first.',
      );
    }
    const startedSince = this.catalog
      .all()
      .filter((record) => record.state === 'active' && snapshot.catalog.get(record.key)?.instance !== record.instance)
      .map((record) => record.key);
    if (startedSince.length === 0) {
      this.restoreState(snapshot);
      return Promise.resolve();
    }
    return this.stopPlugins(startedSince).then((outcome) => {
      for (const { key, error } of outcome.failed) {
        this.options.logger.error(`plugin ${key} failed to stop during restore: ${messageOf(error)}`, {
          event: 'restore.stop_failed',
          plugin: key,
        });
      }
      this.restoreState(snapshot);
    });
  }

  private restoreState(snapshot: Snapshot): void {
    const current = this.catalog;
    this.container.restore();
    this.catalog = snapshot.catalog;
    this.defaults = snapshot.defaults;
    this.discovery = snapshot.discovery;
    for (const record of this.catalog.all()) {
      if (record.state !== 'active') continue;
      const now = current.get(record.key);
      if (now?.state === 'active' && now.instance === record.instance) continue;
      record.state = 'stopped';
      record.instance = undefined;
      record.serviceId = undefined;
    }
  }

  private add(record: PluginRecord): void {
    this.catalog.add(record);
    const { key, type, name } = record;
    bindNamedPlugin(this.container, type, name, () => this.resolveForContainer(key));
    if (this.catalog.countOfType(type) === 1) {
      bindTypeDefault(this.container, type, () =>
        this.resolveForContainer(defaultPluginKey(this.catalog, type, this.defaults[type])),
      );
    }
  }

  // What a container binding hands out: the live instance, or a promise while the plugin still starts.
  private resolveForContainer(key: string): unknown {
    const record = this.catalog.get(key);
    if (record !== undefined && record.state === 'active') return record.instance;
    const { type, name } = parsePluginKey(key);
    const pending = this.get(type, name);
    // A synchronous container.get abandons this promise; mark it handled so its failure is not unhandled.
    pending.catch(ignore);
    return pending;
  }

  private async bringUp(type: PluginType, name: string): Promise<unknown> {
    const record = this.require(type, name);
    const { order, deps } = scheduleOf(await this.planner.plan([record], 'throw'));
    const outcome = await scheduleStartup(
      order,
      deps,
      (key) => this.activator.start(this.catalog.get(key) as PluginRecord),
      this.options.now,
    );
    const current = this.catalog.get(record.key);
    if (current?.state === 'active') return current.instance;
    const blockedBy = outcome.skipped.find((s) => s.key === record.key)?.blockedBy ?? record.key;
    const failure = outcome.failed.find((f) => f.key === blockedBy);
    throw (
      failure?.error ?? current?.error ?? new PluginError('PLUGIN_STARTUP_FAILED', `Plugin ${record.key} is not live.`)
    );
  }

  private stopPlugins(keys: readonly string[]) {
    return scheduleShutdown(keys, this.planner.knownDependencies(), (key) =>
      this.activator.stop(this.catalog.get(key) as PluginRecord),
    );
  }

  private rootsOf(keys: readonly string[] | undefined): readonly PluginRecord[] {
    if (keys === undefined) return this.catalog.all();
    return keys.map((key) => {
      const { type, name } = parsePluginKey(key);
      return this.require(type, name);
    });
  }

  private require(type: PluginType, name: string): PluginRecord {
    const record = this.catalog.find(type, name);
    if (record === undefined)
      throw new PluginNotFoundError(
        type,
        name,
        this.catalog.ofType(type).map((r) => r.name),
      );
    return record;
  }

  private refuseIfLive(record: PluginRecord): void {
    if (record.state === 'active' || record.starting !== undefined) {
      throw new PluginError(
        'PLUGIN_ALREADY_ACTIVE',
        `Plugin ${record.key} is already ${record.state === 'active' ? 'live' : 'starting'}; its configuration is fixed. Configure plugins before their first use (get, startAll or injection).`,
      );
    }
  }
}
