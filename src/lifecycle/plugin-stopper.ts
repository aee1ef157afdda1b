import type { Context } from '@opentelemetry/api';
import type { Logger } from 'winston';
import { PluginShutdownError, messageOf } from '../errors';
import { logs } from '../logging';
import { endSpan, startPluginSpan } from '../tracing';
import { cancelledError, lifeOf, type Attempt } from './attempt';
import { callHook, elapsed } from './hooks';
import type { PluginRecord } from './plugin-life';
import type { InstanceHost } from './plugin-starter';
import { runHook } from './run-hook';
import { scheduleShutdown, type StopOutcome } from './stop-scheduler';

/** What the stopper needs besides the host. */
export interface StopperParts {
  readonly logger: Logger;
  readonly shutdownMs: number;
  readonly now: () => number;
}

const noop = () => undefined;

/**
 * Takes plugins down: marks them (live ones turn `stopping`, starts in flight are cancelled) and then stops
 * them in reverse dependency order through the container's deactivation hook, each shutdown once, under
 * the shutdown timeout. Failures are collected, never thrown, and never stop the others.
 */
export class PluginStopper {
  /** Shutdowns of instances whose startup finished after its timeout. */
  private readonly lateStops = new Set<Promise<void>>();

  constructor(
    private readonly parts: StopperParts,
    private readonly host: () => InstanceHost,
  ) {}

  /**
   * Marks `scope` synchronously: live plugins turn `stopping`, starts in flight are cancelled (their signal
   * aborts with PLUGIN_START_CANCELLED saying `why`); whatever their startup does later, they end stopped.
   */
  mark(scope: readonly PluginRecord[], why: string): void {
    for (const record of scope) {
      const life = lifeOf(record);
      const attempt = life.attempt;
      if (life.state === 'starting' && attempt !== undefined) cancel(record.key, attempt, why);
      else if (life.state === 'active') life.enter('stopping');
    }
  }

  /**
   * Waits for the starts in `scope` to settle, then stops every plugin of it that is `stopping`, each only
   * after the plugins depending on it.
   */
  async stop(scope: readonly PluginRecord[], parent?: Context): Promise<StopOutcome> {
    await Promise.all(scope.map((record) => lifeOf(record).attempt?.settled));
    const byKey = new Map<string, PluginRecord>();
    const deps = new Map<string, readonly string[]>();
    for (const record of scope) {
      const life = lifeOf(record);
      if (life.state !== 'stopping') continue;
      byKey.set(record.key, record);
      deps.set(record.key, (life.attempt as Attempt).deps);
    }
    return scheduleShutdown([...byKey.keys()], deps, (key) => this.stopOne(byKey.get(key) as PluginRecord, parent));
  }

  /** Resolves once every instance whose startup finished late has been shut down. */
  async lateStopsDone(): Promise<void> {
    while (this.lateStops.size > 0) await Promise.all(this.lateStops);
  }

  /** Shuts down an instance whose startup finished after its timeout: it belongs to no one. */
  stopLate(record: PluginRecord, instance: unknown): void {
    const stop = this.runShutdown(record, instance).then(noop);
    this.lateStops.add(stop);
    void stop.then(() => this.lateStops.delete(stop));
  }

  private async stopOne(record: PluginRecord, parent?: Context): Promise<void> {
    const { logger } = this.parts;
    if (logs(logger, 'debug'))
      logger.debug(`stopping plugin ${record.key}`, { event: 'plugin.stopping', plugin: record.key });
    const life = lifeOf(record);
    const attempt = life.attempt as Attempt;
    attempt.stopContext = parent;
    try {
      await this.host().release(record, attempt.instance);
    } catch (error) {
      if (logs(logger, 'debug'))
        logger.debug(`could not release plugin ${record.key} from the container: ${messageOf(error)}`, {
          event: 'plugin.release_failed',
          plugin: record.key,
        });
    }
    // The deactivation hook ran the shutdown; if the container did not call it, run it here.
    attempt.stopping ??= this.runShutdown(record, attempt.instance, parent);
    const failure = await attempt.stopping;
    life.attempt = undefined;
    life.instance = undefined;
    life.enter('stopped');
    if (failure !== undefined) throw failure;
  }

  /** The deactivation hook: shuts down the instance being stopped. Never rejects, so the binding always goes. */
  deactivated(record: PluginRecord, instance: unknown): Promise<void> | void {
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
    const { logger, shutdownMs, now } = this.parts;
    const key = record.key;
    const began = now();
    const span = startPluginSpan('floe.plugin.shutdown', record, parent);
    return runHook({
      pluginKey: key,
      phase: 'shutdown',
      timeoutMs: shutdownMs,
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
}

/** Cancels a start in flight: its signal aborts, and a construction still under way is given up at once. */
function cancel(key: string, attempt: Attempt, why: string): void {
  if (attempt.cancelled !== undefined) return;
  const error = cancelledError(key, why);
  attempt.cancelled = error;
  attempt.abort?.abort(error);
  if (!attempt.constructed) attempt.cancelBuild?.(error);
}

/** The records `select` picks, and every plugin starting, live or stopping that depends on one of them. */
export function withLiveDependents(
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
