import type { Context } from '@opentelemetry/api';
import type { Logger } from 'winston';
import type { LoaderIO } from '../discovery/plugin-loader';
import { getPluginOptions, type PluginClass } from '../plugin/floe-plugin';
import { Life, cancelledError, lifeOf, viewRevision, type Attempt } from './attempt';
import { loadClass } from './class-loader';
import { ExpectedSet, type PlatformStatus } from './expected-set';
import { OperationGate } from './operation-gate';
import type { Resolution } from './plan';
import type { PluginInfo, PluginLife, PluginRecord } from './plugin-life';
import { PluginStarter, type BuildTarget, type InstanceHost } from './plugin-starter';
import { PluginStopper, withLiveDependents } from './plugin-stopper';
import { BlockedStart, type StartResult } from './start-scheduler';
import type { StopOutcome } from './stop-scheduler';

/** What the lifecycle needs from the registry's options. */
export interface LifecycleOptions {
  readonly logger: Logger;
  readonly timeouts: { readonly loadMs: number; readonly startupMs: number; readonly shutdownMs: number };
  readonly now: () => number;
  readonly apiVersion: string;
  readonly loader: LoaderIO;
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
  /** The settings a plugin is built with (see StarterParts.prepare). */
  readonly prepare: (record: PluginRecord) => object | undefined | Promise<object | undefined>;
  /** The plugins waiting, directly or not, on one: named in the log when its startup times out. */
  readonly waitingOn: (key: string) => string[];
  /** What stands in for a plugin (registry.override), if anything: then its own class is not imported. */
  readonly replacementOf: (record: PluginRecord) => BuildTarget | undefined;
  /**
   * A plugin's dependencies as they are now (a default or an override may have changed since it was
   * planned). @throws AmbiguousPluginError.
   */
  readonly dependenciesOf: (record: PluginRecord) => Resolution;
  /** Whether the registry still has this very record (a refresh may have replaced or removed it). */
  readonly isKnown: (record: PluginRecord) => boolean;
}

/** What a shutdown did. */
export interface ShutdownReport {
  readonly ok: boolean;
  /** Plugins stopped cleanly, in the order they finished. */
  readonly stopped: string[];
  readonly failed: { key: string; error: unknown }[];
}

/** What the body of an exclusive operation may do, in its turn. */
export interface Operation {
  /** The ticket of the operation's own starts: they may begin while it runs. */
  readonly ticket: number;
  /** True once a shutdown or restore was asked for after the operation: it must start nothing more. */
  readonly overtaken: boolean;
  /** Stops `chosen` and every plugin depending on them among `all`, dependents first. */
  stop(chosen: readonly PluginRecord[], all: readonly PluginRecord[]): Promise<StopOutcome>;
}

const ALREADY_LIVE: Promise<StartResult> = Promise.resolve('already-live');
const STARTED = (): StartResult => 'started';

/**
 * The one owner of every plugin's lifecycle: `discovered -> loaded -> starting -> active -> stopping ->
 * stopped`, plus `failed`. Every transition is made here, synchronously, before anything is awaited, so
 * that overlapping callers see it.
 *
 * Everything that changes what is live passes through it, in three kinds:
 * - starts (`start`, for `get` and `startAll`) run concurrently and join an attempt in flight, but never
 *   begin while an operation is queued or running, and only once the plugins they depend on are live;
 * - exclusive operations (`exclusive`: reconfigure, a live applyConfig) run one at a time, once no start is
 *   in flight, and no other start begins until they end;
 * - preemptive operations (`shutdown`, `overtake`: shutdownAll, restore) mark what they stop at once, cancel
 *   starts in flight and every start or operation asked for before them, and run ahead of queued operations.
 */
export class PluginLifecycle {
  private readonly gate = new OperationGate();
  private readonly starter: PluginStarter;
  private readonly stopper: PluginStopper;
  private readonly dependenciesOf: (record: PluginRecord) => Resolution;
  private readonly isKnown: (record: PluginRecord) => boolean;
  /** The full shutdown not yet over, for overlapping shutdownAll calls to join. */
  private fullStop?: Promise<ShutdownReport>;
  private down = false;
  private readonly expected = new ExpectedSet();
  /** The views of the last list of records asked for, and the revision they were read at. */
  private lastViews?: {
    readonly records: readonly PluginRecord[];
    readonly revision: number;
    readonly views: readonly PluginInfo[];
  };
  /** startAll calls under way: the platform is starting. */
  private startAlls = 0;

  constructor(
    private readonly options: LifecycleOptions,
    deps: LifecycleDependencies,
  ) {
    const { logger, now, timeouts } = options;
    this.dependenciesOf = deps.dependenciesOf;
    this.isKnown = deps.isKnown;
    let host: InstanceHost | undefined;
    const hostOf = () =>
      (host ??= deps.host({
        activated: (record, instance) => this.starter.activated(record, instance),
        deactivated: (record, instance) => this.stopper.deactivated(record, instance),
      }));
    this.stopper = new PluginStopper({ logger, now, shutdownMs: timeouts.shutdownMs }, hostOf);
    this.starter = new PluginStarter(
      {
        logger,
        now,
        startupMs: timeouts.startupMs,
        load: (record) => this.load(record),
        prepare: deps.prepare,
        replacementOf: deps.replacementOf,
        waitingOn: deps.waitingOn,
        stopLate: (record, instance) => this.stopper.stopLate(record, instance),
        began: () => this.gate.began(),
        ended: () => this.gate.ended(),
      },
      hostOf,
    );
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

  /**
   * The public views of records, in their order, as a new array. A list asked for again (the same array, a
   * plan the planner kept) while no plugin changed is copied from the last one, without reading the records.
   */
  infos(records: readonly PluginRecord[]): PluginInfo[] {
    const last = this.lastViews;
    if (last?.records === records && last.revision === viewRevision()) return last.views.slice();
    const views = records.map((record) => this.info(record));
    this.lastViews = { records, revision: viewRevision(), views };
    return views.slice();
  }

  /** Imports and checks a plugin's class, once even when asked concurrently (see loadClass). */
  load(record: PluginRecord): Promise<PluginClass> {
    const { logger, now, apiVersion, loader, timeouts } = this.options;
    return loadClass(record, { logger, now, apiVersion, loader, loadMs: timeouts.loadMs });
  }

  /** True from the moment a shutdown is asked for until a start asked for after it may begin. */
  get shuttingDown(): boolean {
    return this.down;
  }

  /** The plugins' order of going live: larger is later. Snapshots keep it to tell what started since. */
  get liveMark(): number {
    return this.starter.liveMark;
  }

  /** When the plugin last went live, in the order of `liveMark`; 0 when never. */
  liveSince(record: PluginRecord): number {
    return lifeOf(record).liveSince;
  }

  /** The settings a live plugin was built with (`undefined` when it is not live or took none). */
  liveSettings(record: PluginRecord): object | undefined {
    return lifeOf(record).state === 'active' ? (lifeOf(record).attempt as Attempt).settings : undefined;
  }

  /** Adds plugins asked to start (by get, startAll, and what they need) to the expected set. */
  expect(records: Iterable<PluginRecord>): void {
    this.expected.ask(records);
  }

  /** Records why an expected plugin was not started: refused before starting, or skipped (`blockedBy`). */
  refuse(record: PluginRecord, error: unknown, blockedBy?: string): void {
    this.expected.refuse(record, error, blockedBy);
  }

  /** A plugin taken out of the registry (refresh): no longer expected; `instead`, its new version, is if it was. */
  replaced(record: PluginRecord, instead?: PluginRecord): void {
    this.expected.replace(record, instead);
  }

  /** Whether a plugin was asked to be live (by a get or a startAll) since the last full shutdown. */
  isExpected(record: PluginRecord): boolean {
    return this.expected.has(record);
  }

  /** Marks a plugin that is not live as failed with `error` (a plugin it depends on was removed). */
  fail(record: PluginRecord, error: unknown): void {
    const life = lifeOf(record);
    if (life.state === 'starting' || life.state === 'active' || life.state === 'stopping') return;
    life.error = error;
    life.enter('failed');
  }

  /** Whether a shutdown or restore was asked for after `ticket`. */
  isCancelled(ticket: number): boolean {
    return this.gate.isCancelled(ticket);
  }

  /** Settles once no operation is queued or running (`undefined` when none is now). */
  quiet(): Promise<void> | undefined {
    return this.gate.wait(this.gate.ticket());
  }

  /** Whether starts were asked for since the last full shutdown (a refresh then starts what it adds). */
  get started(): boolean {
    return !this.down && this.expected.size > 0;
  }

  /** Counts a startAll under way (the platform is `starting`); returns what ends it, once. */
  startingAll(): () => void {
    this.startAlls++;
    let over = false;
    return () => {
      if (over) return;
      over = true;
      this.startAlls--;
    };
  }

  /** The phase and the expected plugins that `isKnown`, as they are now (see PlatformStatus). */
  status(isKnown: (record: PluginRecord) => boolean): PlatformStatus {
    const phase = this.down
      ? 'stopping'
      : this.startAlls > 0
        ? 'starting'
        : this.expected.size === 0
          ? 'idle'
          : 'running';
    return { phase, expected: this.expected.view(isKnown) };
  }

  /** A ticket for an operation that starts plugins, asked for now: a later shutdown or restore cancels it. */
  ticket(): number {
    return this.gate.ticket();
  }

  /**
   * Waits until starts with `ticket` may begin (no operation queued or running); `undefined` when they may
   * now. A start let in after a shutdown brings the platform back up: `shuttingDown` turns false.
   */
  admit(ticket: number): Promise<void> | undefined {
    const wait = this.gate.wait(ticket);
    if (wait !== undefined) return wait.then(() => this.admit(ticket));
    if (!this.gate.isCancelled(ticket)) this.down = false;
    return undefined;
  }

  /**
   * Starts one plugin once the plugins it depends on are live: joins the attempt in flight, else begins a
   * new one (the plugin is `starting` before this returns, unless it must wait for an operation). Rejects
   * with PLUGIN_START_CANCELLED when a shutdown or restore was asked for after `ticket`, and with
   * BlockedStart when a plugin it depends on now (which a default or an override may have changed since it
   * was planned) is not live when its turn comes.
   *
   * @param parent - the trace context its `floe.plugin.startup` span belongs to (startAll's).
   */
  start(record: PluginRecord, ticket: number, parent?: Context): Promise<StartResult> {
    const life = lifeOf(record);
    if (life.state === 'active') return ALREADY_LIVE;
    if (this.gate.isCancelled(ticket)) {
      return Promise.reject(cancelledError(record.key, 'a shutdown or restore was asked for after this start'));
    }
    const wait = this.gate.wait(ticket);
    if (wait !== undefined) return wait.then(() => this.start(record, ticket, parent));
    if (life.state === 'starting') return (life.attempt as Attempt).done.then(STARTED);
    if (life.state === 'stopping') return Promise.reject(cancelledError(record.key, 'it is being stopped'));
    if (!this.isKnown(record))
      return Promise.reject(cancelledError(record.key, 'a refresh replaced or removed its package meanwhile'));
    let deps: Resolution;
    try {
      deps = this.dependenciesOf(record);
    } catch (error) {
      return Promise.reject(error);
    }
    for (const dep of deps.records)
      if (lifeOf(dep).state !== 'active') return Promise.reject(new BlockedStart(dep.key));
    // A dependency that no plugin provides any more (its package removed since the plan was made).
    if (deps.missing !== undefined && deps.missing.length > 0) return Promise.reject(new BlockedStart(deps.missing[0]));
    return this.starter.begin(record, deps.keys, parent).then(STARTED);
  }

  /**
   * Stops every live plugin and cancels every start in flight and every start asked for before it;
   * overlapping calls join one shutdown (each plugin is reported stopped by one of them, and each shutdown
   * hook runs once). Never rejects.
   */
  shutdown(records: readonly PluginRecord[], parent?: Context): Promise<ShutdownReport> {
    const mark = this.gate.overtake();
    this.down = true;
    this.expected.clear();
    this.stopper.mark(records, 'a shutdown began while it was starting');
    const joined = this.fullStop;
    if (joined !== undefined) return joined.then((report) => ({ ok: report.ok, stopped: [], failed: report.failed }));
    const promise = this.gate.run(mark, true, async () => {
      const outcome = await this.stopper.stop(records, parent);
      await this.stopper.lateStopsDone();
      return { ok: outcome.failed.length === 0, stopped: outcome.stopped, failed: outcome.failed };
    });
    this.fullStop = promise;
    const clear = () => {
      if (this.fullStop === promise) this.fullStop = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  /**
   * A preemptive operation over part of the platform (restore): cancels starts in flight and every start
   * or operation asked for before it, marks `scope` at once and makes the change `apply` makes (the swap
   * of the registry's value), all before returning; in its turn it stops what it marked and runs `then`
   * with the outcome.
   */
  overtake<T>(
    scope: readonly PluginRecord[],
    why: string,
    apply: () => void,
    then: (outcome: StopOutcome) => T | Promise<T>,
  ): Promise<T> {
    const mark = this.gate.overtake();
    this.stopper.mark(scope, why);
    apply();
    return this.gate.run(mark, true, async () => then(await this.stopper.stop(scope)));
  }

  /**
   * Runs `body` as an exclusive operation: after the operations before it, once no start is in flight;
   * nothing else starts until it ends, but its own starts (made with `op.ticket`).
   */
  exclusive<T>(body: (op: Operation) => Promise<T>): Promise<T> {
    const mark = this.gate.ticket();
    const { gate, stopper } = this;
    const op: Operation = {
      ticket: mark,
      get overtaken() {
        return gate.isCancelled(mark);
      },
      stop(chosen, all) {
        const picked = new Set(chosen);
        const scope = withLiveDependents(all, (record) => picked.has(record));
        stopper.mark(scope, 'it is being restarted');
        return stopper.stop(scope);
      },
    };
    return this.gate.run(mark, false, () => body(op));
  }
}
