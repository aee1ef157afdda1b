import type { Context } from '@opentelemetry/api';
import type { Logger } from 'winston';
import { PluginError, PluginStartupError, messageOf } from '../errors';
import { logs } from '../logging';
import type { PluginClass } from '../plugin/floe-plugin';
import { endSpan, startPluginSpan } from '../tracing';
import { Attempt, lifeOf, type Life } from './attempt';
import type { HookAbort } from './hook-abort';
import { callHook, elapsed } from './hooks';
import type { PluginRecord } from './plugin-life';
import { runHook, type LateOutcome } from './run-hook';

/** What a start builds: the plugin's class, a class standing in for it, or a ready-made object. */
export type BuildTarget = { readonly cls: PluginClass } | { readonly instance: object };

/**
 * The container side of a plugin's life: where instances are built (the activation hook runs startup) and
 * released (the deactivation hook runs shutdown).
 */
export interface InstanceHost {
  /**
   * Builds an instance of the target through the container, injecting `settings` under the plugin's
   * config schema; its activation hook must call `activated`.
   */
  build(record: PluginRecord, target: BuildTarget, settings: object | undefined): Promise<unknown>;
  /** Releases a live instance through the container; its deactivation hook must call `deactivated`. */
  release(record: PluginRecord, instance: unknown): Promise<void>;
}

/** What the starter needs besides the host. */
export interface StarterParts {
  readonly logger: Logger;
  readonly startupMs: number;
  readonly now: () => number;
  /** Imports a plugin's class. */
  load(record: PluginRecord): Promise<PluginClass>;
  /**
   * The settings a plugin is built with, once configure calls in flight are done (its defaults when it has
   * none); the settings themselves, not a promise, when nothing is to be waited for.
   */
  prepare(record: PluginRecord): object | undefined | Promise<object | undefined>;
  /** What stands in for a plugin (registry.override), if anything: then its own class is not imported. */
  replacementOf(record: PluginRecord): BuildTarget | undefined;
  /** The plugins waiting, directly or not, on one: named in the log when its startup times out. */
  waitingOn(key: string): string[];
  /** Shuts down an instance whose startup finished after its timeout, which nobody else will stop. */
  stopLate(record: PluginRecord, instance: unknown): void;
  /** Told when an attempt begins and when it is over, live or not. */
  began(): void;
  ended(): void;
}

/**
 * Brings one plugin up: builds it through the container under the startup timeout (construction included)
 * and lets the activation hook run its startup with the attempt's signal. The plugin is `starting` when
 * `begin` returns, and ends `active`, `failed`, or (cancelled) `stopped` or `stopping`.
 */
export class PluginStarter {
  private liveCounter = 0;

  constructor(
    private readonly parts: StarterParts,
    private readonly host: () => InstanceHost,
  ) {}

  /** The plugins' order of going live: larger is later. */
  get liveMark(): number {
    return this.liveCounter;
  }

  /** Begins a new attempt of a plugin that is not starting, live or stopping; resolves with the instance. */
  begin(record: PluginRecord, deps: readonly string[], parent?: Context): Promise<unknown> {
    const life = lifeOf(record);
    const attempt = new Attempt(deps);
    life.attempt = attempt;
    life.error = undefined;
    life.enter('starting');
    this.parts.began();
    const { logger } = this.parts;
    if (logs(logger, 'debug'))
      logger.debug(`starting plugin ${record.key}`, { event: 'plugin.starting', plugin: record.key });
    const done = this.run(record, life, attempt, parent);
    attempt.done = done;
    const over = () => {
      attempt.release();
      this.parts.ended();
    };
    attempt.settled = done.then(over, over);
    return done;
  }

  private async run(record: PluginRecord, life: Life, attempt: Attempt, parent?: Context): Promise<unknown> {
    const { logger, now } = this.parts;
    const began = now();
    const span = startPluginSpan('floe.plugin.startup', record, parent);
    let instance: unknown;
    try {
      const target = this.parts.replacementOf(record) ?? { cls: life.cls ?? (await this.parts.load(record)) };
      const prepared = this.parts.prepare(record);
      // Awaited even when ready: construction never runs within the call that asked for the start.
      attempt.settings = await prepared;
      if (attempt.cancelled !== undefined) throw attempt.cancelled;
      instance = await this.construct(record, target, attempt).catch((error: unknown) => {
        throw attempt.cancelled ?? this.startupFailure(record, error, began);
      });
    } catch (error) {
      const failure = attempt.cancelled ?? error;
      life.attempt = undefined;
      life.error = failure;
      life.enter(attempt.cancelled === undefined ? 'failed' : 'stopped');
      endSpan(span, failure);
      throw failure;
    }
    attempt.instance = instance;
    endSpan(span, attempt.cancelled);
    if (attempt.cancelled !== undefined) {
      // Its startup finished, but a stop covering it began meanwhile: that stop shuts it down.
      life.enter('stopping');
      throw attempt.cancelled;
    }
    life.instance = instance;
    life.liveSince = ++this.liveCounter;
    life.enter('active');
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
      timeoutMs: this.parts.startupMs,
      abort: attempt.abort,
      hook: () => this.build(record, target, attempt),
      onLateSettle: (outcome) => this.lateStartup(record, outcome),
      cancellable: (cancel) => (attempt.cancelBuild = cancel),
    });
  }

  private build(record: PluginRecord, target: BuildTarget, attempt: Attempt): Promise<unknown> {
    const life = lifeOf(record);
    // Only one construction per plugin at a time, so the activation hook knows whose instance it sees.
    if (life.building !== undefined) return this.buildAfter(life, record, target, attempt);
    const abort = attempt.abort as HookAbort;
    if (abort.aborted) return Promise.reject(abort.reason);
    life.building = attempt;
    let built: Promise<unknown>;
    try {
      built = this.host().build(record, target, attempt.settings);
    } catch (error) {
      built = Promise.reject(error);
    }
    const over = () => {
      if (life.building === attempt) life.building = undefined;
      attempt.built = undefined;
    };
    attempt.built = built.then(over, over);
    return built;
  }

  // Builds once the construction of an older attempt of the same plugin is over.
  private async buildAfter(life: Life, record: PluginRecord, target: BuildTarget, attempt: Attempt): Promise<unknown> {
    while (life.building !== undefined) await life.building.built;
    return this.build(record, target, attempt);
  }

  /** The activation hook: construction is over; runs startup with the attempt's signal. */
  activated(record: PluginRecord, instance: unknown): unknown {
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
    const { logger, now } = this.parts;
    const failure = new PluginStartupError(record.key, error);
    const fields = { event: 'plugin.startup_failed', plugin: record.key, durationMs: elapsed(now, began) };
    if (PluginError.is(error, 'PLUGIN_TIMEOUT')) {
      const waiting = this.parts.waitingOn(record.key);
      logger.error(
        `plugin ${record.key} timed out starting after ${fields.durationMs} ms; waiting on it: ${waiting.length === 0 ? 'none' : waiting.join(', ')}`,
        { ...fields, event: 'plugin.startup_timeout', waiting },
      );
    } else logger.error(failure.message, fields);
    return failure;
  }

  // A startup that finished after its timeout belongs to no one: shut it down so nothing leaks.
  private lateStartup(record: PluginRecord, outcome: LateOutcome<unknown>): void {
    const { logger } = this.parts;
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
    this.parts.stopLate(record, outcome.value);
  }
}
