import { Container } from 'inversify';
import type { PlatformConfig } from '../config/platform-config';
import { PlatformConfigError, type PlatformConfigProblem } from '../config/platform-config-error';
import { validateConfig } from '../config/validate-config';
import { discoverPlugins } from '../discovery/discover-plugins';
import { ownLibraryCopies } from '../discovery/library-copies';
import type { PluginEntry } from '../discovery/plugin-entry';
import {
  DuplicatePluginError,
  InvalidPluginError,
  PluginConfigurationError,
  PluginError,
  PluginIncompatibleError,
  PluginNotFoundError,
  PluginStartupError,
  messageOf,
} from '../errors';
import type { HealthStatus } from '../health';
import { toJsonValue } from '../json-value';
import { contextOf, endRunSpan, endSpan, startSpan } from '../tracing';
import type { Context } from '@opentelemetry/api';
import { logs } from '../logging';
import { checkHealth } from '../lifecycle/check-health';
import type { PluginInfo, PluginRecord } from '../lifecycle/plugin-life';
import { PluginLifecycle, type BuildTarget } from '../lifecycle/plugin-lifecycle';
import { scheduleStartup, type StartOutcome } from '../lifecycle/start-scheduler';
import { getPluginOptions, requirePluginOptions, type ConfigSchema, type PluginClass } from '../plugin/floe-plugin';
import { PLUGIN_TYPES, parsePluginKey, pluginKey, type PluginType } from '../plugin-type';
import { requireInjectableConstructor } from '../ordering/injected-plugins';
import { isCompatible } from '../version';
import { bindNamedPlugin, bindTypeDefault, trackSynchronousResolution } from './container-bindings';
import { DependencyPlanner, scheduleOf, type Plan } from './dependency-planner';
import { describePlugin } from './describe-plugin';
import { InstanceContainer } from './instance-container';
import { PluginCatalog } from './plugin-catalog';
import { PluginConfigs } from './plugin-configs';
import { resolveOptions, type PluginRegistryOptions, type ResolvedOptions } from './registry-options';
import type {
  DiscoveryReport,
  LiveConfigReport,
  PluginDescription,
  ReconfigureReport,
  ShutdownReport,
  StartupReport,
} from './reports';
import { buildStartupReport } from './startup-report';
import { defaultPluginKey, findDefaultKey } from './type-defaults';

/** One plugin's settings in a platform configuration, with the record or the reason it has none. */
interface ConfigTarget {
  readonly key: string;
  readonly record?: PluginRecord;
  readonly raw: unknown;
  readonly error?: unknown;
}

/** The registry state that snapshots save and restore, together with the container's. */
interface Snapshot {
  readonly catalog: PluginCatalog;
  readonly overrides: ReadonlyMap<PluginRecord, BuildTarget>;
  readonly configs: PluginConfigs;
  readonly defaults: Partial<Record<PluginType, string>>;
  readonly discovery?: DiscoveryReport;
  /** Plugins that went live after this mark were started since the snapshot. */
  readonly liveMark: number;
  /** Bound in the container right after its snapshot: while it is bound, that snapshot is not restored. */
  readonly sentinel: symbol;
}

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
  private readonly options: ResolvedOptions;
  /** The container and its synchronous-resolution tracker, once made (see `container`). */
  private bound?: { readonly container: Container; readonly synchronous: () => boolean };
  private readonly lifecycle: PluginLifecycle;
  private readonly instances: InstanceContainer;
  private readonly planner: DependencyPlanner;
  private catalog = new PluginCatalog();
  private configs = new PluginConfigs();
  /** What stands in for plugins in tests (see `override`). */
  private overrides = new Map<PluginRecord, BuildTarget>();
  private defaults: Partial<Record<PluginType, string>>;
  private discovery?: DiscoveryReport;
  private readonly snapshots: Snapshot[] = [];
  /** Work every start waits for first, and fails with when it failed (createTestRegistry's config). */
  private setup?: Promise<void>;
  /** Grows whenever what a dependency reference means may change. */
  private revision = 0;
  private records = 0;

  /**
   * @throws PluginError `REGISTRY_OPTIONS_INVALID` or InvalidVersionError for bad options.
   */
  constructor(options?: PluginRegistryOptions) {
    this.options = resolveOptions(options);
    if (this.options.container !== undefined) this.bindInto(this.options.container);
    this.defaults = { ...this.options.defaults };
    let instances: InstanceContainer | undefined;
    this.lifecycle = new PluginLifecycle(this.options, {
      host: (hooks) => {
        instances = new InstanceContainer(
          () => this.container,
          hooks,
          (record) => this.configs.get(record.key),
        );
        return instances;
      },
      prepare: (record) => this.prepareConfig(record),
      waitingOn: (key) => this.planner.dependentsOf(key),
      replacementOf: (record) => this.overrides.get(record),
    });
    this.instances = instances as unknown as InstanceContainer;
    this.planner = new DependencyPlanner({
      catalog: () => this.catalog,
      revision: () => this.revision,
      load: (record) => this.lifecycle.load(record),
      definitionOf: (record) => this.definitionOf(record),
      defaultOf: (type) => findDefaultKey(this.catalog, type, this.defaults[type]),
    });
  }

  /**
   * The Inversify container holding every plugin: the one passed in the options, or one made on first
   * use. Until then plugins are only recorded, so that discovering, checking or ordering plugins never pays
   * for bindings; whichever way the container is first reached, it already holds every plugin known.
   */
  get container(): Container {
    return (this.bound ?? this.bindInto(new Container())).container;
  }

  /**
   * Scans the project's package.json and every package in its node_modules for `floe.plugins` entries,
   * once; later calls return the same report. Nothing is imported. Problems become issues and logged
   * warnings; discovery never throws for them.
   */
  discoverAll(): DiscoveryReport {
    if (this.discovery !== undefined) return this.discovery;
    const began = this.options.now();
    const span = startSpan('floe.discover', { 'floe.root': this.options.rootDir });
    const result = discoverPlugins(this.options.rootDir, {
      ...(this.options.files === undefined ? {} : { files: this.options.files }),
      isTaken: (key) => (this.catalog.hasKey(key) ? 'a plugin registered by hand' : undefined),
      libraries: ownLibraryCopies(),
    });
    const found = result.entries.map((entry) =>
      this.lifecycle.info(this.add({ key: entry.key, type: entry.type, name: entry.name, entry }, 'discovered')),
    );
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
      if (logs(logger, 'debug'))
        logger.debug(`skipped ${note.dir}: ${note.detail}`, { event: 'discovery.skipped', path: note.dir });
    this.discovery = { found, issues: result.issues, packagesScanned: result.packagesScanned };
    span.setAttribute('floe.plugins', found.length);
    span.setAttribute('floe.issues', result.issues.length);
    endSpan(span);
    if (logs(logger, 'info'))
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
   * @throws InvalidPluginError for an undecorated class or a constructor parameter the container cannot
   *   fill; DuplicatePluginError for a known key; PluginIncompatibleError for an incompatible apiVersion.
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
    requireInjectableConstructor(cls, `plugin ${key}`);
    return this.lifecycle.info(this.add({ key, type: options.type, name: options.name }, 'registered', cls));
  }

  /**
   * The live plugin: imported on first access (once, even when called concurrently), resolved through
   * the container after the plugins it depends on, started by the container's activation hook. While a
   * shutdown runs, waits for it and then starts a fresh instance; never hands out an instance whose
   * shutdown began.
   *
   * @throws PluginNotFoundError for an unknown plugin; PluginStartupError when its startup throws or times
   *   out; a dependency's own error when a dependency fails; PluginError `PLUGIN_START_CANCELLED` when a
   *   shutdown began during the start; load, version, config and dependency errors.
   */
  get<T = unknown>(type: PluginType, name: string): Promise<T> {
    const record = this.catalog.find(type, name);
    if (record !== undefined && record.life.state === 'active') return Promise.resolve(record.life.instance as T);
    return this.bringUp(type, name) as Promise<T>;
  }

  /** The discovered and registered plugins of one type, sorted by name. Imports nothing. */
  list(type: PluginType): PluginInfo[] {
    return this.catalog.ofType(type).map((record) => this.lifecycle.info(record));
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
    return this.lifecycle.info(this.require(type, name));
  }

  /**
   * Imports and checks a plugin without starting it: its module, its metadata and its API version.
   * Once even when called concurrently; a failure is not cached.
   *
   * @throws PluginNotFoundError; PluginError `PLUGIN_LOAD_FAILED`, InvalidPluginError or PluginIncompatibleError.
   */
  async load(type: PluginType, name: string): Promise<PluginInfo> {
    const record = this.require(type, name);
    await this.lifecycle.load(record);
    return this.lifecycle.info(record);
  }

  /**
   * Everything known about one plugin, for tools such as `floe info`: its info, where it comes from, its
   * description, resolved dependencies, config schema and config, and its last failure. Imports nothing;
   * call `load` first to learn what lives on the decorator.
   *
   * @throws PluginNotFoundError for an unknown plugin.
   */
  describe(type: PluginType, name: string): PluginDescription {
    const record = this.require(type, name);
    return describePlugin(record, this.lifecycle.info(record), this.planner, this.configs.get(record.key));
  }

  /**
   * Validates raw configuration against the plugin's schema and stores it; the plugin's constructor then
   * receives it. Imports the plugin if needed; starts nothing. A failure keeps the previous config. Whether
   * the plugin may be configured is decided when called; a start asked for meanwhile waits for the result.
   *
   * @returns the validated instance, or `undefined` for a plugin without schema.
   * @throws PluginConfigurationError with every problem (settings for a plugin without schema included);
   *   PluginError `PLUGIN_ALREADY_ACTIVE` when the plugin is starting, live or stopping.
   */
  configure(type: PluginType, name: string, raw: unknown): Promise<object | undefined> {
    let record: PluginRecord;
    try {
      record = this.require(type, name);
      this.refuseIfLive(record);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.configs.queue(record.key, async () => {
      await this.lifecycle.load(record);
      const config = await this.validate(record, raw);
      if (config !== undefined) this.configs.set(record.key, config);
      return config;
    });
  }

  /**
   * Applies a platform configuration (see loadPlatformConfig): every plugin's settings and the default
   * plugin per type. All or nothing: every problem of every plugin is reported at once and then nothing
   * is applied. Which plugins may be configured is decided when called.
   *
   * With `{ live: true }`, plugins that are live take new settings too: every live plugin whose settings
   * changed is restarted with its live dependents, as `reconfigure` does, and if any of them fails to start
   * the whole configuration is rolled back (settings, defaults, and the restarted plugins).
   *
   * @returns the validated config of each plugin listed (`undefined` for a plugin without schema); with
   *   `live`, a ReconfigureReport that also holds them as `applied`.
   * @throws PlatformConfigError whose `errors` carry the plugin key and that plugin's own error.
   */
  applyConfig(config: PlatformConfig): Promise<Record<string, object | undefined>>;
  applyConfig(config: PlatformConfig, options: { live: true }): Promise<LiveConfigReport>;
  applyConfig(
    config: PlatformConfig,
    options?: { live?: boolean },
  ): Promise<Record<string, object | undefined> | LiveConfigReport>;
  applyConfig(
    config: PlatformConfig,
    options: { live?: boolean } = {},
  ): Promise<Record<string, object | undefined> | LiveConfigReport> {
    const live = options.live === true;
    const targets: ConfigTarget[] = [];
    for (const [key, raw] of Object.entries(config.plugins)) {
      try {
        const { type, name } = parsePluginKey(key);
        const record = this.require(type, name);
        if (live) this.refuseIfMoving(record);
        else this.refuseIfLive(record);
        targets.push({ key, record, raw });
      } catch (error) {
        targets.push({ key, raw, error });
      }
    }
    // Settings are stored after the configure calls already in flight for the same plugins, never before.
    const earlier = Promise.all(targets.map(({ record }) => record && this.configs.settled(record.key)));
    // Starts of these plugins wait until the settings are stored, or (live) until the restart is queued:
    // from then on the queue holds them back, and the restart's own starts must not wait for it.
    let queued = (): void => undefined;
    const enqueued = new Promise<void>((resolve) => (queued = resolve));
    const work = this.validateAll(config, targets).then(async (accepted) => {
      await earlier;
      const applied = Object.fromEntries([...accepted].map(([record, value]) => [record.key, value]));
      if (!live) {
        this.store(accepted, config.defaults);
        return applied;
      }
      const changed = [...accepted.keys()].filter(
        (record) => record.life.state === 'active' && !sameSettings(this.configs.get(record.key), accepted.get(record)),
      );
      const restart = this.restartWith(accepted, config.defaults, changed);
      queued();
      return { ...(await restart), applied };
    });
    work.then(queued, queued);
    for (const { record } of targets) if (record !== undefined) this.configs.track(record.key, live ? enqueued : work);
    return work;
  }

  /**
   * Puts `replacement` in place of a plugin, for tests: until the matching `restore()`, `get`, `@named` and
   * bare `@inject(type)` injection, and the plugins that depend on it, all get the replacement. A class
   * (decorated or plain) is built through the container, with its own dependencies; an object is used as
   * the instance, and its `startup`, `shutdown` and `healthCheck`, if any, are called. The plugin's own module
   * is not imported for it.
   *
   * @throws PluginNotFoundError for an unknown plugin; PluginError `PLUGIN_ALREADY_ACTIVE` while it is
   *   starting, live or stopping; InvalidPluginError for a replacement that is neither a class nor an object.
   * @example
   * ```ts
   * registry.snapshot();
   * registry.override(PluginType.Secrets, 'vault', { getSecret: async () => 'test-token' });
   * // ... the test ...
   * await registry.restore();
   * ```
   */
  override(type: PluginType, name: string, replacement: PluginClass | object): void {
    const record = this.require(type, name);
    this.refuseIfLive(record);
    if (typeof replacement === 'function') this.overrides.set(record, { cls: replacement as PluginClass });
    else if (typeof replacement === 'object' && replacement !== null)
      this.overrides.set(record, { instance: replacement });
    else throw new InvalidPluginError(`override of ${record.key}: the replacement must be a class or an object.`);
    this.revision++;
  }

  /**
   * Makes a plugin the one a bare `@inject(type)` gets (as the `defaults` option does); plugins started
   * afterwards see it. Undone by the matching `restore()`.
   *
   * @throws PluginNotFoundError for an unknown plugin.
   */
  setDefault(type: PluginType, name: string): void {
    this.require(type, name);
    this.defaults[type] = name;
    this.revision++;
  }

  /** Stops every plugin, as `shutdownAll`, at the end of an `await using` block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdownAll();
  }

  // What a plugin declares it needs, from what stands in for it if anything, else from its loaded class.
  private definitionOf(record: PluginRecord): { dependsOn: readonly string[]; cls?: unknown } | undefined {
    const replacement = this.overrides.get(record);
    if (replacement !== undefined)
      return 'cls' in replacement
        ? { dependsOn: getPluginOptions(replacement.cls)?.dependsOn ?? [], cls: replacement.cls }
        : { dependsOn: [] };
    const options = record.life.options;
    return options === undefined ? undefined : { dependsOn: options.dependsOn ?? [], cls: record.life.cls };
  }

  /**
   * Changes the configuration of a live plugin: validates `raw` (on failure nothing changes), stops the
   * plugin and every live plugin that depends on it (dependents first), stores the new settings and starts
   * them again in dependency order. If any of them fails to start, those started are stopped, the old
   * settings come back and they start again with them. Other plugins are not touched. On a plugin that is
   * not live it is `configure`. Starts wait for it, as for a shutdown.
   *
   * @throws PluginConfigurationError (nothing changed); PluginError `PLUGIN_ALREADY_ACTIVE` while the plugin
   *   is starting or stopping; PluginNotFoundError.
   */
  async reconfigure(type: PluginType, name: string, raw: unknown): Promise<ReconfigureReport> {
    const record = this.require(type, name);
    this.refuseIfMoving(record);
    if (record.life.state !== 'active') {
      await this.configure(type, name, raw);
      return { ok: true, restarted: [], rolledBack: false, failed: [] };
    }
    await this.lifecycle.load(record);
    const config = await this.validate(record, raw);
    return this.restartWith(new Map([[record, config]]), {}, [record]);
  }

  // Validates every target, all or nothing: the accepted settings, or one PlatformConfigError.
  private async validateAll(
    config: PlatformConfig,
    targets: readonly ConfigTarget[],
  ): Promise<Map<PluginRecord, object | undefined>> {
    const problems: PlatformConfigProblem[] = [];
    const accepted = new Map<PluginRecord, object | undefined>();
    for (const { key, record, raw, error } of targets) {
      if (record === undefined) {
        problems.push({ pluginKey: key, error });
        continue;
      }
      try {
        await this.lifecycle.load(record);
        accepted.set(record, await this.validate(record, raw));
      } catch (failure) {
        problems.push({ pluginKey: key, error: failure });
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
    return accepted;
  }

  // Stores settings and defaults; returns what to put back to undo it.
  private store(
    settings: ReadonlyMap<PluginRecord, object | undefined>,
    defaults: Partial<Record<PluginType, string>>,
  ): () => void {
    const previousConfigs = [...settings.keys()].map((record) => [record.key, this.configs.get(record.key)] as const);
    const previousDefaults = { ...this.defaults };
    for (const [record, validated] of settings) if (validated !== undefined) this.configs.set(record.key, validated);
    Object.assign(this.defaults, defaults);
    this.revision++;
    return () => {
      for (const [key, value] of previousConfigs) {
        if (value === undefined) this.configs.delete(key);
        else this.configs.set(key, value);
      }
      this.defaults = previousDefaults;
      this.revision++;
    };
  }

  // Stops the changed live plugins and their live dependents, stores the new settings, starts them again;
  // on any failure to start, puts everything back and starts them with the old settings.
  private restartWith(
    settings: ReadonlyMap<PluginRecord, object | undefined>,
    defaults: Partial<Record<PluginType, string>>,
    changed: readonly PluginRecord[],
  ): Promise<ReconfigureReport> {
    const chosen = new Set(changed);
    const all = this.catalog.all();
    return this.lifecycle.stopWhere(
      all,
      (record) => chosen.has(record) && record.life.state === 'active',
      async (stopOutcome, ticket) => {
        const stopped = all.filter(
          (record) => stopOutcome.stopped.includes(record.key) || stopOutcome.failed.some((f) => f.key === record.key),
        );
        const failed = [...stopOutcome.failed];
        const undo = this.store(settings, defaults);
        const first = await this.startPlan(await this.planner.plan(stopped, 'collect'), ticket);
        if (first.failed.length === 0 && first.skipped.length === 0) {
          return { ok: failed.length === 0, restarted: this.liveOrder(stopped), rolledBack: false, failed };
        }
        failed.push(...first.failed);
        const partial = stopped.filter((record) => record.life.state === 'active');
        const back = await this.lifecycle.stopNow(partial, this.catalog.all());
        failed.push(...back.failed);
        undo();
        const second = await this.startPlan(await this.planner.plan(stopped, 'collect'), this.lifecycle.ticket());
        failed.push(...second.failed);
        return { ok: false, restarted: this.liveOrder(stopped), rolledBack: true, failed };
      },
    );
  }

  /** The keys of those records live now, in the order they went live. */
  private liveOrder(records: readonly PluginRecord[]): string[] {
    return records
      .filter((record) => record.life.state === 'active')
      .sort((a, b) => this.lifecycle.liveSince(a) - this.lifecycle.liveSince(b))
      .map((record) => record.key);
  }

  /**
   * The config schema class of a plugin: `null` when it declares none, `undefined` until its class is loaded
   * (call `load` first).
   *
   * @throws PluginNotFoundError for an unknown plugin.
   */
  configSchemaOf(type: PluginType, name: string): ConfigSchema | null | undefined {
    const options = this.require(type, name).life.options;
    return options === undefined ? undefined : (options.configSchema ?? null);
  }

  /** The stored config of a plugin, or `undefined`. @throws PluginNotFoundError for an unknown plugin. */
  getConfig(type: PluginType, name: string): object | undefined {
    return this.configs.get(this.require(type, name).key);
  }

  /**
   * The given plugins (default: all known) and everything they need, dependencies first, ties broken by
   * key. Dependencies are `dependsOn` entries and the plugins a class injects. Imports classes (both live
   * on the class); an import error is let through.
   *
   * @throws MissingDependencyError, CircularDependencyError, AmbiguousPluginError, PluginNotFoundError.
   */
  async resolveDependencies(keys?: readonly string[]): Promise<PluginInfo[]> {
    const plan = await this.planner.plan(this.rootsOf(keys), 'throw');
    return plan.order.map((record) => this.lifecycle.info(record));
  }

  /**
   * Starts the given plugins (default: all known) and what they depend on, each as soon as its own
   * dependencies are up, independent ones concurrently, each startup under its timeout. Never throws for
   * a failing plugin: it is reported, and everything depending on it is skipped. While a shutdown runs,
   * waits for it first; a shutdown that begins during the run cancels the starts still to come.
   *
   * @throws MissingDependencyError, CircularDependencyError or AmbiguousPluginError before anything starts.
   */
  async startAll(keys?: readonly string[]): Promise<StartupReport> {
    const span = startSpan('floe.startAll');
    try {
      const report = await this.startKeys(keys, contextOf(span));
      endRunSpan(span, report.ok ? undefined : `${report.failed.length} failed, ${report.skipped.length} skipped`);
      return report;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  }

  private async startKeys(keys: readonly string[] | undefined, trace: Context | undefined): Promise<StartupReport> {
    const { now, logger } = this.options;
    const began = now();
    const roots = this.rootsOf(keys);
    if (this.setup !== undefined) await this.setup;
    const ticket = await this.ticket();
    const plan = await this.planner.plan(roots, 'collect');
    const { deps } = scheduleOf(plan, this.planner);
    const outcome = await this.startPlan(plan, ticket, trace);
    const report = buildStartupReport(plan, deps, outcome, now() - began, (record) => this.lifecycle.liveSince(record));
    for (const { key, blockedBy } of report.skipped) {
      logger.warn(`plugin ${key} was not started because ${blockedBy} failed`, {
        event: 'plugin.skipped',
        plugin: key,
        blockedBy,
      });
    }
    if (logs(logger, 'info'))
      logger.info(
        `started ${report.started.length} plugins, ${report.failed.length} failed, ${report.skipped.length} skipped`,
        { event: 'startup.done', durationMs: Math.round(report.durationMs) },
      );
    return report;
  }

  /**
   * Stops every live plugin through the container's deactivation hook, each only after the live plugins
   * depending on it have stopped or failed to, under its timeout. Starts in flight are cancelled (their
   * startup signal aborts) and waited for; one whose startup still completed is stopped too. Overlapping
   * calls join one shutdown. Never throws; a second call stops nothing.
   */
  shutdownAll(): Promise<ShutdownReport> {
    const span = startSpan('floe.shutdownAll');
    const done = this.lifecycle.shutdown(this.catalog.all(), contextOf(span));
    void done.then((report) => endRunSpan(span, report.ok ? undefined : `${report.failed.length} failed to stop`));
    return done;
  }

  /**
   * True from the moment a `shutdownAll()` is asked for (readiness probes turn 503 then, before any plugin
   * stops) until a start is asked for after it finished.
   */
  get shuttingDown(): boolean {
    return this.lifecycle.shuttingDown;
  }

  /**
   * Checks every live plugin concurrently, each under the health timeout, and never throws: a throw, a
   * timeout or a result that is not a HealthStatus is Unhealthy. Returns within one timeout.
   */
  async healthCheckAll(): Promise<Record<string, HealthStatus>> {
    const { logger, timeouts } = this.options;
    const live = this.catalog.all().filter((record) => record.life.state === 'active');
    const statuses = await Promise.all(
      live.map(async (record) => {
        const debug = logs(logger, 'debug');
        if (debug)
          logger.debug(`checking plugin ${record.key}`, { event: 'plugin.health_checking', plugin: record.key });
        const status = await checkHealth(record, record.life.instance, timeouts.healthMs);
        if (debug)
          logger.debug(`checked plugin ${record.key}: ${status.state}`, {
            event: 'plugin.health_checked',
            plugin: record.key,
          });
        return status;
      }),
    );
    return Object.fromEntries(live.map((record, i) => [record.key, statuses[i]]));
  }

  /** Saves registry and container state together, for tests; snapshots stack. */
  snapshot(): void {
    const sentinel = Symbol('floe-core snapshot');
    this.container.snapshot();
    this.container.bind(sentinel).toConstantValue(true);
    this.snapshots.push({
      catalog: this.catalog.copy(),
      overrides: new Map(this.overrides),
      configs: this.configs.copy(),
      defaults: { ...this.defaults },
      ...(this.discovery === undefined ? {} : { discovery: this.discovery }),
      liveMark: this.lifecycle.liveMark,
      sentinel,
    });
  }

  /**
   * Brings back the state of the latest snapshot. Plugins started since then, and starts in flight, are
   * stopped first (as `shutdownAll` would), so no plugin is left running unowned; plugins live at the
   * snapshot and stopped since come back as stopped.
   *
   * @throws PluginError `NO_SNAPSHOT` when there is no snapshot left.
   */
  async restore(): Promise<void> {
    const snapshot = this.snapshots.pop();
    if (snapshot === undefined) {
      throw new PluginError(
        'NO_SNAPSHOT',
        'restore() was called without a matching snapshot(); call snapshot() first.',
      );
    }
    const current = this.catalog;
    const startedSince = (record: PluginRecord) =>
      !snapshot.catalog.has(record) ||
      record.life.state === 'starting' ||
      this.lifecycle.liveSince(record) > snapshot.liveMark;
    await this.lifecycle.stopWhere(current.all(), startedSince, async (outcome) => {
      for (const { key, error } of outcome.failed) {
        this.options.logger.error(`plugin ${key} failed to stop during restore: ${messageOf(error)}`, {
          event: 'restore.stop_failed',
          plugin: key,
        });
      }
      this.catalog = snapshot.catalog;
      this.overrides = new Map(snapshot.overrides);
      this.configs = snapshot.configs;
      this.defaults = snapshot.defaults;
      this.discovery = snapshot.discovery;
      this.revision++;
      // Undo the container's changes since this snapshot, also those of snapshots taken after it.
      while (this.container.isBound(snapshot.sentinel)) this.container.restore();
      for (const record of current.all()) if (!snapshot.catalog.has(record)) await this.instances.forget(record);
    });
  }

  private add(
    identity: Pick<PluginRecord, 'key' | 'type' | 'name'> & { entry?: PluginEntry },
    source: PluginRecord['source'],
    cls?: PluginClass,
  ): PluginRecord {
    const record: PluginRecord = {
      key: identity.key,
      type: identity.type,
      name: identity.name,
      source,
      ...(identity.entry === undefined ? {} : { entry: identity.entry }),
      index: this.records++,
      life: this.lifecycle.create(cls),
    };
    this.catalog.add(record);
    this.planner.added(record);
    if (this.bound !== undefined)
      this.bindRecord(this.bound.container, record, this.catalog.countOfType(record.type) === 1);
    return record;
  }

  // Takes a container into use: every plugin known so far is bound in it, in the order they were added.
  private bindInto(container: Container): NonNullable<PluginRegistry['bound']> {
    this.bound = { container, synchronous: trackSynchronousResolution(container) };
    const typed = new Set<PluginType>();
    for (const record of this.catalog.inAddedOrder()) {
      this.bindRecord(container, record, !typed.has(record.type));
      typed.add(record.type);
    }
    return this.bound;
  }

  // Binds a plugin by name, and with `asDefault` also what a bare `@inject(type)` gets for its type.
  private bindRecord(container: Container, record: PluginRecord, asDefault: boolean): void {
    const { key, type, name } = record;
    bindNamedPlugin(container, type, name, () => this.resolveForContainer(key));
    if (asDefault) {
      bindTypeDefault(container, type, () =>
        this.resolveForContainer(defaultPluginKey(this.catalog, type, this.defaults[type])),
      );
    }
  }

  // What a container binding hands out: the live instance, or (for getAsync) a promise while it starts.
  private resolveForContainer(key: string): unknown {
    const record = this.catalog.get(key);
    if (record === undefined) {
      const { type, name } = parsePluginKey(key);
      throw new PluginNotFoundError(type, name);
    }
    if (record.life.state === 'active') return record.life.instance;
    if (this.bound?.synchronous() === true) {
      throw new PluginError(
        'PLUGIN_NOT_LIVE',
        `Plugin ${key} is not live (it is ${record.life.state}), so a synchronous container.get() cannot provide it, and nothing was started. ` +
          'Use await container.getAsync(...) to start it on demand, or start plugins first with await registry.startAll() (or registry.get()).',
      );
    }
    return this.get(record.type, record.name);
  }

  // Waits for any stop in progress, then hands out a ticket for starting plugins (synchronously when none is).
  private ticket(): number | Promise<number> {
    const idle = this.lifecycle.whenIdle();
    if (idle === undefined) return this.lifecycle.ticket();
    return idle.then(() => this.ticket());
  }

  private async bringUp(type: PluginType, name: string): Promise<unknown> {
    const record = this.require(type, name);
    if (this.setup !== undefined) await this.setup;
    const ticket = await this.ticket();
    const outcome = await this.startPlan(await this.planner.plan([record], 'throw'), ticket);
    if (record.life.state === 'active') return record.life.instance;
    const blockedBy = outcome.skipped.find((s) => s.key === record.key)?.blockedBy ?? record.key;
    throw (
      outcome.failed.find((f) => f.key === blockedBy)?.error ??
      record.life.error ??
      new PluginStartupError(record.key, new Error(`it is ${record.life.state}`))
    );
  }

  private startPlan(plan: Plan, ticket: number, trace?: Context): Promise<StartOutcome> {
    const { order, deps } = scheduleOf(plan, this.planner);
    return scheduleStartup(
      order,
      deps,
      (key) => {
        const failure = plan.loadFailures.get(key);
        if (failure !== undefined) return Promise.reject(failure);
        const record = this.catalog.get(key) as PluginRecord;
        return this.lifecycle.start(record, deps.get(key) ?? [], ticket, trace);
      },
      this.options.now,
    );
  }

  // Makes a plugin's configuration ready for its constructor: after configure calls in flight, defaults.
  // Nothing to wait for (the usual case) gives undefined rather than a promise: starts are frequent.
  private prepareConfig(record: PluginRecord): Promise<void> | undefined {
    const inFlight = this.configs.inFlight(record.key);
    const needsDefaults = () => record.life.options?.configSchema !== undefined && !this.configs.has(record.key);
    if (inFlight === undefined && !needsDefaults()) return undefined;
    return (async () => {
      await inFlight;
      if (needsDefaults()) this.configs.set(record.key, (await this.validate(record, {})) as object);
    })();
  }

  private async validate(record: PluginRecord, raw: unknown): Promise<object | undefined> {
    const schema = record.life.options?.configSchema;
    if (schema !== undefined) return validateConfig(schema, raw, { name: record.name, key: record.key });
    if (raw === undefined || isEmptyObject(raw)) return undefined;
    throw new PluginConfigurationError(
      record.name,
      [
        {
          path: '',
          constraint: 'noConfigSchema',
          message: `plugin ${record.key} takes no settings (it declares no configSchema); remove them`,
        },
      ],
      record.key,
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

  // A plugin on its way up or down cannot take new settings now, live or not.
  private refuseIfMoving(record: PluginRecord): void {
    const state = record.life.state;
    if (state === 'starting' || state === 'stopping') {
      throw new PluginError(
        'PLUGIN_ALREADY_ACTIVE',
        `Plugin ${record.key} is ${state}; change its configuration once it is ${state === 'starting' ? 'live' : 'stopped'}.`,
      );
    }
  }

  private refuseIfLive(record: PluginRecord): void {
    const state = record.life.state;
    if (state === 'starting' || state === 'active' || state === 'stopping') {
      throw new PluginError(
        'PLUGIN_ALREADY_ACTIVE',
        `Plugin ${record.key} is ${state}; its configuration is fixed while it runs. Configure plugins before their first use (get, startAll or injection).`,
      );
    }
  }
}

/** Whether two validated configurations hold the same settings (key order aside). */
function sameSettings(a: object | undefined, b: object | undefined): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(toJsonValue(value), (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : item,
  );
}

/**
 * Makes every start of the registry wait for `work` first, and fail with its error if it fails. For
 * createTestRegistry, which returns a registry at once while its config is still being applied.
 */
export function holdStartsUntil(registry: PluginRegistry, work: Promise<unknown>): void {
  const setup = work.then(() => undefined);
  setup.catch(() => undefined);
  (registry as unknown as { setup?: Promise<void> }).setup = setup;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
