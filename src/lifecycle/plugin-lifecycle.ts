import type { Logger } from 'winston';
import type { Context } from '@opentelemetry/api';
import { logs } from '../logging';
import { endSpan, startPluginSpan } from '../tracing';
import { loadPluginClass, type LoaderIO } from '../discovery/plugin-loader';
import { InvalidPluginError, PluginError, PluginShutdownError, PluginStartupError, messageOf } from '../errors';
import { getPluginOptions, type FloePluginOptions, type PluginClass } from '../plugin/floe-plugin';
import type { PluginInfo, PluginLife, PluginRecord, PluginState } from './plugin-life';
import { runHook, type LateOutcome } from './run-hook';
import { HookAbort, callWithSignal } from './hook-abort';
import { scheduleShutdown, type StopOutcome } from './stop-scheduler';

/** What the lifecycle needs from the registry's options. */
export interface LifecycleOptions {
  readonly logger: Logger;
  readonly timeouts: { readonly loadMs: number; readonly startupMs: number; readonly shutdownMs: number };
  readonly now: () => number;
  readonly apiVersion: string;
  readonly loader: LoaderIO;
}

/** What a start builds: the plugin's class, a class standing in for it, or a ready-made object. */
export type BuildTarget = { readonly cls: PluginClass } | { readonly instance: object };

/**
 * The container side of a plugin's life: where instances are built (the activation hook runs startup) and
 * released (the deactivation hook runs shutdown).
 */
export interface InstanceHost {
  /** Builds an instance of the target through the container; its activation hook must call `activated`. */
  build(record: PluginRecord, target: BuildTarget): Promise<unknown>;
  /** Releases a live instance through the container; its deactivation hook must call `deactivated`. */
  release(record: PluginRecord, instance: unknown): Promise<void>;
}

/** The callbacks an InstanceHost reports to. */
export interface InstanceHooks {
  activated(record: PluginRecord, instance: unknown): unknown;
  deactivated(record: PluginRecord, instance: unknown): Promise<void> | void;
}

/** What the lifecycle calls back into. */
export interface LifecycleDependencies {
  /** Makes the host that builds instances, given the hooks it reports to. */
  readonly host: (hooks: InstanceHooks) => InstanceHost;
  /**
   * Makes a plugin's configuration ready before it is built (waits for configure calls in flight, applies
   * defaults); `undefined` when it already is.
   */
  readonly prepare: (record: PluginRecord) => Promise<void> | undefined;
  /** The plugins waiting, directly or not, on one: named in the log when its startup times out. */
  readonly waitingOn: (key: string) => string[];
  /** What stands in for a plugin (registry.override), if anything: then its own class is not imported. */
  readonly replacementOf: (record: PluginRecord) => BuildTarget | undefined;
}

/** What a shutdown did. */
export interface ShutdownReport {
  readonly ok: boolean;
  /** Plugins stopped cleanly, in the order they finished. */
  readonly stopped: string[];
  readonly failed: { key: string; error: unknown }[];
}

/** One try at bringing a plugin up, from the first step of its start to the end of its shutdown. */
class Attempt {
  /** Aborts the start (timeout, cancellation); dropped once the start is over. */
  abort: HookAbort | undefined = new HookAbort();
  /** Set when a stop covering this plugin began while the attempt was starting. */
  cancelled?: PluginError;
  /** Whether the container finished constructing the instance (the activation hook took over). */
  constructed = false;
  instance?: unknown;
  /** Rejects the start at once while the container is still constructing (no hook to wait for). */
  cancelBuild?: (error: unknown) => void;
  /** Settles when the container is done constructing this attempt's instance, whatever the outcome. */
  built?: Promise<void>;
  /** The shutdown's outcome: undefined when it stopped cleanly, else the PluginShutdownError. */
  stopping?: Promise<PluginShutdownError | undefined>;
  /** The trace context of the stop that shuts it down. */
  stopContext?: Context;
  /** Resolves when the start is over (live, failed or cancelled); never rejects. */
  settled: Promise<void> = SETTLED;
  /** The start: the live instance, or the reason it is not live. */
  done: Promise<unknown> = SETTLED;

  /** Lets go of what only the start needed, so that a live plugin holds as little as possible. */
  release(): void {
    this.abort = undefined;
    this.cancelBuild = undefined;
    this.settled = SETTLED;
    this.done = SETTLED;
  }

  constructor(readonly deps: readonly string[]) {}
}

/** A plugin's life as the lifecycle sees it; other modules only read it, through PluginLife. */
class Life implements PluginLife {
  cls?: PluginClass;
  options?: FloePluginOptions;
  error?: unknown;
  instance?: unknown;
  /** When it last went live, in the order plugins went live. */
  liveSince = 0;
  /** The last stop request that covered this plugin. */
  stopMark = 0;
  loading?: Promise<PluginClass>;
  /** The current attempt while starting, active or stopping. */
  attempt?: Attempt;
  /** The attempt whose instance the container is constructing; a newer one waits for it. */
  building?: Attempt;
  view?: PluginInfo;

  constructor(public state: PluginState) {}
}

const noop = () => undefined;
const SETTLED: Promise<void> = Promise.resolve();

function lifeOf(record: PluginRecord): Life {
  return record.life as Life;
}

/**
 * The one owner of every plugin's lifecycle: `discovered -> loaded -> starting -> active -> stopping ->
 * stopped`, plus `failed`. Every transition is made here, synchronously, before anything is awaited, so
 * that overlapping callers see it. Starts join the attempt in flight; stops (shutdowns, restores,
 * reconfigurations) pass through one queue, and a stop first cancels the starts in flight in its scope so it
 * never waits a whole startup timeout behind a hung hook. Starting never begins while a stop is queued.
 */
export class PluginLifecycle {
  private readonly host: InstanceHost;
  private liveCounter = 0;
  /** Hands out tickets and stop marks from one sequence: a ticket older than a stop covering a plugin is stale. */
  private marks = 0;
  private fullStopMark = 0;
  /** The last queued stop operation, while any is queued or running. */
  private tail?: Promise<unknown>;
  /** The full shutdown in progress, for overlapping shutdownAll calls to join. */
  private fullStop?: { readonly promise: Promise<ShutdownReport>; readonly tail: Promise<unknown> };
  private down = false;
  /** Shutdowns of instances whose startup finished after its timeout. */
  private readonly lateStops = new Set<Promise<void>>();

  constructor(
    private readonly options: LifecycleOptions,
    private readonly deps: LifecycleDependencies,
  ) {
    this.host = deps.host({
      activated: (record, instance) => this.activated(record, instance),
      deactivated: (record, instance) => this.deactivated(record, instance),
    });
  }

  /** The life of a new record: found by discovery, or registered with its class. */
  create(cls?: PluginClass): PluginLife {
    const life = new Life(cls === undefined ? 'discovered' : 'loaded');
    if (cls !== undefined) {
      life.cls = cls;
      life.options = getPluginOptions(cls);
    }
    return life;
  }

  /** The public view of a record, frozen; reused until the plugin's state or loaded options change. */
  info(record: PluginRecord): PluginInfo {
    const life = lifeOf(record);
    if (life.view !== undefined) return life.view;
    const info: { -readonly [K in keyof PluginInfo]: PluginInfo[K] } = {
      key: record.key,
      type: record.type,
      name: record.name,
      state: life.state,
      source: record.source,
    };
    if (record.entry !== undefined) info.packageName = record.entry.packageName;
    const options = life.options;
    if (options !== undefined) {
      info.version = options.version;
      info.apiVersion = options.apiVersion;
      info.dependsOn = options.dependsOn ?? [];
    }
    life.view = Object.freeze(info);
    return life.view;
  }

  /** True from the moment a full shutdown is asked for until a start is asked for after it is done. */
  get shuttingDown(): boolean {
    return this.down;
  }

  /** A ticket for an operation that starts plugins: its starts are cancelled by any stop asked for after it. */
  ticket(): number {
    // A start asked for once no stop is queued brings the platform back up.
    if (this.tail === undefined) this.down = false;
    return ++this.marks;
  }

  /** The plugins' order of going live: larger is later. Snapshots keep it to tell what started since. */
  get liveMark(): number {
    return this.liveCounter;
  }

  /** When the plugin last went live, in the order of `liveMark`; 0 when never. */
  liveSince(record: PluginRecord): number {
    return lifeOf(record).liveSince;
  }

  /** Resolves once no stop is queued or running; `undefined` (nothing to wait for) when none is. */
  whenIdle(): Promise<void> | undefined {
    if (this.tail === undefined) return undefined;
    return (async () => {
      while (this.tail !== undefined) await this.tail.then(noop, noop);
    })();
  }

  /**
   * Imports and checks a plugin's class, once even when asked concurrently; a failure is not cached.
   *
   * @throws PluginError `PLUGIN_LOAD_FAILED`, InvalidPluginError, PluginIncompatibleError, or a PluginTimeoutError.
   */
  load(record: PluginRecord): Promise<PluginClass> {
    const life = lifeOf(record);
    if (life.cls !== undefined) return Promise.resolve(life.cls);
    if (life.loading !== undefined) return life.loading;
    const entry = record.entry;
    if (entry === undefined) return Promise.reject(new InvalidPluginError(`plugin ${record.key} has no class.`));
    const { logger, now, timeouts, apiVersion, loader } = this.options;
    const began = now();
    const span = startPluginSpan('floe.plugin.load', record);
    if (logs(logger, 'debug'))
      logger.debug(`loading plugin ${record.key}`, { event: 'plugin.loading', plugin: record.key });
    const loading = runHook({
      pluginKey: record.key,
      phase: 'load',
      timeoutMs: timeouts.loadMs,
      hook: () => loadPluginClass(entry, apiVersion, loader),
    }).then(
      (cls) => {
        life.cls = cls;
        life.options = getPluginOptions(cls);
        if (life.state === 'discovered' || life.state === 'failed') this.enter(life, 'loaded');
        life.view = undefined;
        endSpan(span);
        if (logs(logger, 'debug'))
          logger.debug(`loaded plugin ${record.key}`, {
            event: 'plugin.loaded',
            plugin: record.key,
            package: entry.packageName,
            durationMs: Math.round(now() - began),
          });
        return cls;
      },
      (error: unknown) => {
        endSpan(span, error);
        if (life.state === 'discovered' || life.state === 'failed') {
          life.error = error;
          this.enter(life, 'failed');
        }
        logger.error(messageOf(error), { event: 'plugin.load_failed', plugin: record.key, package: entry.packageName });
        throw error;
      },
    );
    life.loading = loading;
    const clear = () => {
      if (life.loading === loading) life.loading = undefined;
    };
    loading.then(clear, clear);
    return loading;
  }

  /**
   * Starts one plugin whose dependencies are live: joins the attempt in flight, else begins a new one
   * (the plugin is `starting` before this returns). Rejects with PLUGIN_START_CANCELLED when a stop
   * covering the plugin was asked for after `ticket` was taken.
   *
   * @param deps - the keys the plugin depends on, kept so that it is stopped before them.
   * @param parent - the trace context its `floe.plugin.startup` span belongs to (startAll's).
   */
  start(
    record: PluginRecord,
    deps: readonly string[],
    ticket: number,
    parent?: Context,
  ): Promise<'started' | 'already-live'> {
    const life = lifeOf(record);
    if (life.state === 'active') return Promise.resolve('already-live');
    if (life.state === 'starting') return (life.attempt as Attempt).done.then(() => 'started');
    if (life.state === 'stopping' || Math.max(this.fullStopMark, life.stopMark) > ticket) {
      return Promise.reject(cancelledError(record.key, 'a shutdown began after this start was asked for'));
    }
    const attempt = new Attempt(deps);
    life.attempt = attempt;
    life.error = undefined;
    this.enter(life, 'starting');
    if (logs(this.options.logger, 'debug'))
      this.options.logger.debug(`starting plugin ${record.key}`, { event: 'plugin.starting', plugin: record.key });
    const done = this.run(record, life, attempt, parent);
    attempt.done = done;
    attempt.settled = done.then(
      () => attempt.release(),
      () => attempt.release(),
    );
    return done.then(() => 'started');
  }

  /**
   * Stops every live plugin and cancels every start in flight; overlapping calls join one shutdown (each
   * plugin is reported stopped by one of them, and each shutdown hook runs once). Never rejects.
   */
  shutdown(records: readonly PluginRecord[], parent?: Context): Promise<ShutdownReport> {
    const joined = this.fullStop;
    if (joined !== undefined && joined.tail === this.tail) {
      return joined.promise.then((report) => ({ ok: report.ok, stopped: [], failed: report.failed }));
    }
    const mark = this.request(records, undefined);
    this.fullStopMark = mark.id;
    this.down = true;
    const promise = this.enqueue(async () => {
      const outcome = await this.stopRequested(mark, parent);
      while (this.lateStops.size > 0) await Promise.all(this.lateStops);
      return { ok: outcome.failed.length === 0, stopped: outcome.stopped, failed: outcome.failed };
    });
    const fullStop = { promise, tail: this.tail as Promise<unknown> };
    this.fullStop = fullStop;
    const clear = () => {
      if (this.fullStop === fullStop) this.fullStop = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  /**
   * Stops the plugins `select` picks and every live plugin depending on them (starts in flight among them
   * are cancelled), then runs `then` before any other start may begin. `then` gets the stop's outcome and a
   * ticket for starting plugins again.
   */
  stopWhere<T>(
    records: readonly PluginRecord[],
    select: (record: PluginRecord) => boolean,
    then: (outcome: StopOutcome, ticket: number) => T | Promise<T>,
  ): Promise<T> {
    const mark = this.request(records, select);
    return this.enqueue(async () => then(await this.stopRequested(mark), this.ticket()));
  }

  /**
   * Stops `records` and the live plugins depending on them at once, without queueing: only for the `then`
   * of a `stopWhere`, which already holds the queue (to take back what it started). Take a new ticket after.
   */
  stopNow(records: readonly PluginRecord[], all: readonly PluginRecord[]): Promise<StopOutcome> {
    const chosen = new Set(records);
    return this.stopRequested(this.request(all, (record) => chosen.has(record)));
  }

  // Marks the plugins a stop covers, synchronously: starts in flight are cancelled, live ones are stopping.
  private request(records: readonly PluginRecord[], select: ((record: PluginRecord) => boolean) | undefined) {
    const id = ++this.marks;
    const scope = select === undefined ? [...records] : withLiveDependents(records, select);
    for (const record of scope) {
      const life = lifeOf(record);
      life.stopMark = id;
      const attempt = life.attempt;
      if (life.state === 'starting' && attempt !== undefined) this.cancel(record, attempt);
      else if (life.state === 'active') this.enter(life, 'stopping');
    }
    return { id, scope };
  }

  private cancel(record: PluginRecord, attempt: Attempt): void {
    if (attempt.cancelled !== undefined) return;
    const error = cancelledError(record.key, 'a shutdown began while it was starting');
    attempt.cancelled = error;
    attempt.abort?.abort(error);
    if (!attempt.constructed) attempt.cancelBuild?.(error);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = (this.tail ?? Promise.resolve()).then(noop, noop).then(work);
    const tail = run.then(noop, noop);
    this.tail = tail;
    void tail.then(() => {
      if (this.tail === tail) this.tail = undefined;
    });
    return run;
  }

  // Waits for the cancelled starts to settle, then stops what is stopping in reverse dependency order.
  private async stopRequested(
    mark: { readonly scope: readonly PluginRecord[] },
    parent?: Context,
  ): Promise<StopOutcome> {
    await Promise.all(mark.scope.map((record) => lifeOf(record).attempt?.settled));
    const stopping = mark.scope.filter((record) => lifeOf(record).state === 'stopping');
    const byKey = new Map(stopping.map((record) => [record.key, record]));
    const deps = new Map(stopping.map((record) => [record.key, (lifeOf(record).attempt as Attempt).deps]));
    return scheduleShutdown([...byKey.keys()], deps, (key) => this.stopOne(byKey.get(key) as PluginRecord, parent));
  }

  private async stopOne(record: PluginRecord, parent?: Context): Promise<void> {
    if (logs(this.options.logger, 'debug'))
      this.options.logger.debug(`stopping plugin ${record.key}`, { event: 'plugin.stopping', plugin: record.key });
    const life = lifeOf(record);
    const attempt = life.attempt as Attempt;
    attempt.stopContext = parent;
    try {
      await this.host.release(record, attempt.instance);
    } catch (error) {
      if (logs(this.options.logger, 'debug'))
        this.options.logger.debug(`could not release plugin ${record.key} from the container: ${messageOf(error)}`, {
          event: 'plugin.release_failed',
          plugin: record.key,
        });
    }
    // The deactivation hook ran the shutdown; if the container did not call it, run it here.
    attempt.stopping ??= this.runShutdown(record, attempt.instance, parent);
    const failure = await attempt.stopping;
    life.attempt = undefined;
    life.instance = undefined;
    this.enter(life, 'stopped');
    if (failure !== undefined) throw failure;
  }

  // The deactivation hook: shuts down the instance being stopped. Never rejects, so the binding always goes.
  private deactivated(record: PluginRecord, instance: unknown): Promise<void> | void {
    const life = lifeOf(record);
    const attempt = life.attempt;
    if (life.state !== 'stopping' || attempt === undefined || attempt.instance !== instance) return;
    attempt.stopping ??= this.runShutdown(record, instance, attempt.stopContext);
    return attempt.stopping.then(noop);
  }

  // Runs a shutdown hook under its timeout; resolves with its failure, if any, and never rejects.
  private runShutdown(
    record: PluginRecord,
    instance: unknown,
    parent?: Context,
  ): Promise<PluginShutdownError | undefined> {
    const { logger, timeouts, now } = this.options;
    const key = record.key;
    const began = now();
    const span = startPluginSpan('floe.plugin.shutdown', record, parent);
    return runHook({
      pluginKey: key,
      phase: 'shutdown',
      timeoutMs: timeouts.shutdownMs,
      hook: (abort) => callHook(instance, 'shutdown', abort),
    }).then(
      () => {
        endSpan(span);
        if (logs(logger, 'info'))
          logger.info(`stopped plugin ${key}`, {
            event: 'plugin.stopped',
            plugin: key,
            durationMs: elapsed(now, began),
          });
        return undefined;
      },
      (error: unknown) => {
        const failure = new PluginShutdownError(key, error);
        endSpan(span, failure);
        logger.error(failure.message, {
          event: 'plugin.shutdown_failed',
          plugin: key,
          durationMs: elapsed(now, began),
        });
        return failure;
      },
    );
  }

  private async run(record: PluginRecord, life: Life, attempt: Attempt, parent?: Context): Promise<unknown> {
    const { logger, now } = this.options;
    const began = now();
    const span = startPluginSpan('floe.plugin.startup', record, parent);
    let instance: unknown;
    try {
      const target = this.deps.replacementOf(record) ?? { cls: life.cls ?? (await this.load(record)) };
      // Awaited even when undefined: construction never runs within the call that asked for the start.
      await this.deps.prepare(record);
      if (attempt.cancelled !== undefined) throw attempt.cancelled;
      instance = await this.construct(record, target, attempt).catch((error: unknown) => {
        throw attempt.cancelled ?? this.startupFailure(record, error, began);
      });
    } catch (error) {
      const failure = attempt.cancelled ?? error;
      life.attempt = undefined;
      life.error = failure;
      this.enter(life, attempt.cancelled === undefined ? 'failed' : 'stopped');
      endSpan(span, failure);
      throw failure;
    }
    attempt.instance = instance;
    endSpan(span, attempt.cancelled);
    if (attempt.cancelled !== undefined) {
      // Its startup finished, but a stop covering it began meanwhile: that stop shuts it down.
      this.enter(life, 'stopping');
      throw attempt.cancelled;
    }
    life.instance = instance;
    life.liveSince = ++this.liveCounter;
    this.enter(life, 'active');
    if (logs(logger, 'info'))
      logger.info(`started plugin ${record.key}`, {
        event: 'plugin.started',
        plugin: record.key,
        durationMs: elapsed(now, began),
      });
    return instance;
  }

  // Construction and startup together, under the startup timeout.
  private construct(record: PluginRecord, target: BuildTarget, attempt: Attempt): Promise<unknown> {
    return runHook({
      pluginKey: record.key,
      phase: 'startup',
      timeoutMs: this.options.timeouts.startupMs,
      abort: attempt.abort,
      hook: () => this.build(record, target, attempt),
      onLateSettle: (outcome) => this.lateStartup(record, outcome),
      cancellable: (cancel) => (attempt.cancelBuild = cancel),
    });
  }

  private async build(record: PluginRecord, target: BuildTarget, attempt: Attempt): Promise<unknown> {
    const life = lifeOf(record);
    // Only one construction per plugin at a time, so the activation hook knows whose instance it sees.
    while (life.building !== undefined) await life.building.built;
    const abort = attempt.abort as HookAbort;
    if (abort.aborted) throw abort.reason;
    life.building = attempt;
    let built: Promise<unknown>;
    try {
      built = this.host.build(record, target);
    } catch (error) {
      built = Promise.reject(error);
    }
    const over = () => {
      if (life.building === attempt) life.building = undefined;
    };
    attempt.built = built.then(over, over);
    return built;
  }

  // The activation hook: construction is over; run startup with the attempt's signal.
  private activated(record: PluginRecord, instance: unknown): unknown {
    const life = lifeOf(record);
    const attempt = life.building;
    if (attempt === undefined || attempt.constructed) {
      throw new PluginStartupError(record.key, new Error('an instance was built outside of a start'));
    }
    life.building = undefined;
    attempt.constructed = true;
    // A construction that outlived its start (a timeout, a shutdown) must not start the instance.
    const abort = attempt.abort;
    if (abort === undefined) throw new PluginStartupError(record.key, new Error('its start was already over'));
    if (abort.aborted) throw abort.reason;
    attempt.instance = instance;
    return callHook(instance, 'startup', abort).then(() => instance);
  }

  private startupFailure(record: PluginRecord, error: unknown, began: number): PluginError {
    if (PluginError.is(error, 'PLUGIN_STARTUP_FAILED')) return error;
    const { logger, now } = this.options;
    const failure = new PluginStartupError(record.key, error);
    const fields = { event: 'plugin.startup_failed', plugin: record.key, durationMs: elapsed(now, began) };
    if (PluginError.is(error, 'PLUGIN_TIMEOUT')) {
      const waiting = this.deps.waitingOn(record.key);
      logger.error(
        `plugin ${record.key} timed out starting after ${fields.durationMs} ms; waiting on it: ${waiting.length === 0 ? 'none' : waiting.join(', ')}`,
        { ...fields, event: 'plugin.startup_timeout', waiting },
      );
    } else logger.error(failure.message, fields);
    return failure;
  }

  // A startup that finished after its timeout belongs to no one: shut it down so nothing leaks.
  private lateStartup(record: PluginRecord, outcome: LateOutcome<unknown>): void {
    const { logger } = this.options;
    if (!outcome.ok) {
      logger.warn(`plugin ${record.key} failed after its startup timeout: ${messageOf(outcome.error)}`, {
        event: 'plugin.late_startup',
        plugin: record.key,
      });
      return;
    }
    logger.warn(`plugin ${record.key} finished starting after its timeout; shutting it down`, {
      event: 'plugin.late_startup',
      plugin: record.key,
    });
    const stop = this.runShutdown(record, outcome.value).then(noop);
    this.lateStops.add(stop);
    void stop.then(() => this.lateStops.delete(stop));
  }

  private enter(life: Life, state: PluginState): void {
    life.state = state;
    life.view = undefined;
  }
}

/** The PluginError of a start cut short by a shutdown. */
function cancelledError(key: string, why: string): PluginError {
  return new PluginError(
    'PLUGIN_START_CANCELLED',
    `The start of plugin ${key} was cancelled: ${why}. Start it again once the shutdown is done (get or startAll wait for it).`,
  );
}

/** The records `select` picks, and every plugin starting, live or stopping that depends on one of them. */
function withLiveDependents(
  records: readonly PluginRecord[],
  select: (record: PluginRecord) => boolean,
): PluginRecord[] {
  const scope = new Set(records.filter(select));
  const keys = new Set([...scope].map((record) => record.key));
  let grew = true;
  while (grew) {
    grew = false;
    for (const record of records) {
      const attempt = lifeOf(record).attempt;
      if (scope.has(record) || attempt === undefined) continue;
      if (attempt.deps.some((dep) => keys.has(dep))) {
        scope.add(record);
        keys.add(record.key);
        grew = true;
      }
    }
  }
  return [...scope];
}

/** Calls an optional lifecycle method of a plugin instance; a missing one does nothing, a throw rejects. */
function callHook(instance: unknown, name: 'startup' | 'shutdown', abort: HookAbort): Promise<unknown> {
  try {
    const hook = (instance as Record<string, unknown> | null | undefined)?.[name];
    if (typeof hook !== 'function') return Promise.resolve();
    return Promise.resolve(callWithSignal(hook as () => unknown, instance, abort));
  } catch (error) {
    return Promise.reject(error);
  }
}

function elapsed(now: () => number, began: number): number {
  return Math.round(now() - began);
}
