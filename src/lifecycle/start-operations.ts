import type { Context } from '@opentelemetry/api';
import type { Logger } from 'winston';
import { PluginError, PluginStartupError } from '../errors';
import { logs } from '../logging';
import type { PluginType } from '../plugin-type';
import { contextOf, endRunSpan, endSpan, startSpan } from '../tracing';
import type { Plan, PlanSource } from './plan';
import type { PluginLifecycle } from './plugin-lifecycle';
import type { PluginRecord } from './plugin-life';
import type { StartupReport } from './reports';
import { scheduleStartup, type StartOutcome } from './start-scheduler';
import { buildStartupReport } from './startup-report';

/** What starting plugins needs besides the lifecycle and the planner. */
export interface StartParts {
  readonly logger: Logger;
  readonly now: () => number;
  /** The records of the given keys (all plugins when none are given). @throws PluginNotFoundError. */
  recordsOf(keys: readonly string[] | undefined): readonly PluginRecord[];
  /** @throws PluginNotFoundError. */
  require(type: PluginType, name: string): PluginRecord;
  /** Whether the registry still has this very record (a refresh may have replaced or removed it). */
  isKnown(record: PluginRecord): boolean;
  /** Settings still being applied that every start waits for and fails with (createTestRegistry's config). */
  ready(): Promise<void> | undefined;
}

/**
 * The operations that start plugins, `startAll` and `get`: each takes its ticket when called (a shutdown
 * or restore asked for later cancels it), waits for the operations queued before it, plans what the
 * plugins need and starts each as soon as its own dependencies are live.
 */
export class StartOperations {
  constructor(
    private readonly lifecycle: PluginLifecycle,
    private readonly planner: PlanSource,
    private readonly parts: StartParts,
  ) {}

  /**
   * Starts the given plugins (default: all) and what they depend on; never throws for a failing plugin.
   *
   * @throws MissingDependencyError, CircularDependencyError, AmbiguousPluginError or PluginNotFoundError
   *   before anything starts.
   */
  async startAll(keys?: readonly string[]): Promise<StartupReport> {
    const ticket = this.lifecycle.ticket();
    const over = this.lifecycle.startingAll();
    const span = startSpan('floe.startAll');
    try {
      this.lifecycle.expect(this.parts.recordsOf(keys));
      // The records are read again once admitted: a refresh before may have replaced or removed some.
      const report = await this.startRoots(() => this.parts.recordsOf(keys), ticket, contextOf(span));
      endRunSpan(span, report.ok ? undefined : `${report.failed.length} failed, ${report.skipped.length} skipped`);
      return report;
    } catch (error) {
      endSpan(span, error);
      throw error;
    } finally {
      over();
    }
  }

  /**
   * The live plugin, started (with what it needs) if it is not live yet.
   *
   * @throws the plugin's own startup, load, config or dependency error, or that of a dependency that failed.
   */
  async get(type: PluginType, name: string): Promise<unknown> {
    // A refresh that replaces the plugin while this call starts it cancels that start, or stops what it
    // started: the plugin asked for is then the new one, so ask again once the refresh is over (a few times
    // at most, however often it is replaced). A shutdown or restore is not retried.
    for (let tries = 1; ; tries++) {
      const asked: { record?: PluginRecord; ticket?: number } = {};
      try {
        return await this.getOnce(type, name, asked);
      } catch (error) {
        const { record, ticket } = asked;
        if (
          tries >= 3 ||
          record === undefined ||
          ticket === undefined ||
          this.lifecycle.isCancelled(ticket) ||
          record.life.state === 'failed'
        )
          throw error;
        await this.lifecycle.quiet();
        if (this.parts.isKnown(record)) throw error;
      }
    }
  }

  private async getOnce(
    type: PluginType,
    name: string,
    asked: { record?: PluginRecord; ticket?: number },
  ): Promise<unknown> {
    const ticket = this.lifecycle.ticket();
    asked.ticket = ticket;
    this.lifecycle.expect([this.parts.require(type, name)]);
    await this.whenAdmitted(ticket);
    // Read again once admitted: a refresh before may have replaced or removed it.
    const record = this.parts.require(type, name);
    asked.record = record;
    const plan = await this.planned([record], 'throw');
    const outcome = await this.run(plan, ticket);
    this.recordSkips(plan, outcome);
    if (record.life.state === 'active') return record.life.instance;
    const blockedBy = outcome.skipped.find((skip) => skip.key === record.key)?.blockedBy ?? record.key;
    throw (
      outcome.failed.find((failure) => failure.key === blockedBy)?.error ??
      plan.order.find((planned) => planned.key === blockedBy)?.life.error ??
      new PluginStartupError(record.key, new Error(`it is ${record.life.state}`))
    );
  }

  /** Starts the plugins of a plan with `ticket`, each once its dependencies are live. */
  run(plan: Plan, ticket: number, trace?: Context): Promise<StartOutcome> {
    return this.schedule(plan, this.depsOf(plan), ticket, trace);
  }

  // Each planned plugin's dependencies by key, as planned.
  private depsOf(plan: Plan): Map<string, readonly string[]> {
    const deps = new Map<string, readonly string[]>();
    for (const record of plan.order) deps.set(record.key, this.planner.resolution(record).keys);
    return deps;
  }

  private schedule(
    plan: Plan,
    deps: ReadonlyMap<string, readonly string[]>,
    ticket: number,
    trace?: Context,
  ): Promise<StartOutcome> {
    const order: string[] = [];
    const planned = new Map<string, PluginRecord>();
    for (const record of plan.order) {
      order.push(record.key);
      planned.set(record.key, record);
    }
    return scheduleStartup(
      order,
      deps,
      (key) => {
        const failure = plan.loadFailures.get(key);
        if (failure !== undefined) return Promise.reject(failure);
        return this.lifecycle.start(planned.get(key) as PluginRecord, ticket, trace);
      },
      this.parts.now,
    );
  }

  private async startRoots(
    rootsNow: () => readonly PluginRecord[],
    ticket: number,
    trace: Context | undefined,
  ): Promise<StartupReport> {
    const { now, logger } = this.parts;
    const began = now();
    await this.whenAdmitted(ticket);
    const roots = rootsNow();
    const plan = await this.planned(roots, 'collect');
    const deps = this.depsOf(plan);
    const outcome = await this.schedule(plan, deps, ticket, trace);
    this.recordSkips(plan, outcome);
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

  // Plans `roots`, and makes what they need expected too; when the plan is refused, so are the roots.
  private async planned(roots: readonly PluginRecord[], onLoadError: 'throw' | 'collect'): Promise<Plan> {
    try {
      const plan = await this.planner.plan(roots, onLoadError);
      this.lifecycle.expect(plan.order);
      return plan;
    } catch (error) {
      for (const root of roots) this.lifecycle.refuse(root, error);
      throw error;
    }
  }

  // Why each skipped plugin of a run was not started, for probes.
  private recordSkips(plan: Plan, outcome: StartOutcome): void {
    if (outcome.skipped.length === 0) return;
    const byKey = new Map(plan.order.map((record) => [record.key, record]));
    for (const { key, blockedBy } of outcome.skipped) {
      const record = byKey.get(key);
      if (record !== undefined) this.lifecycle.refuse(record, skippedError(key, blockedBy), blockedBy);
    }
  }

  // Settings given at creation first, then the operations queued before the ticket.
  private async whenAdmitted(ticket: number): Promise<void> {
    const ready = this.parts.ready();
    if (ready !== undefined) await ready;
    const admitted = this.lifecycle.admit(ticket);
    if (admitted !== undefined) await admitted;
  }
}

/** Why a plugin was skipped: a plugin it needs failed. */
function skippedError(key: string, blockedBy: string): PluginError {
  return new PluginError(
    'PLUGIN_SKIPPED',
    `Plugin ${key} was not started because ${blockedBy}, which it depends on, is not live; fix ${blockedBy} and start it again.`,
  );
}
