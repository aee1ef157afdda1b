import type { PluginEntry } from '../discovery/plugin-entry';
import { PluginError, messageOf } from '../errors';
import { cancelledError } from './attempt';
import type { Plan, PlanSource } from './plan';
import type { PluginLifecycle } from './plugin-lifecycle';
import type { PluginRecord } from './plugin-life';
import type { StartOperations } from './start-operations';
import type { StartOutcome } from './start-scheduler';

/** What `refresh` did. */
export interface RefreshReport {
  /** False when anything failed to stop or start, or an update was rolled back. */
  readonly ok: boolean;
  /** Plugins whose packages appeared (started when plugins had been started). */
  readonly added: string[];
  /** Plugins whose packages disappeared: stopped if live, and forgotten. */
  readonly removed: string[];
  /** Plugins whose packages changed and now run (or wait) with the new code. */
  readonly updated: string[];
  /** Plugins stopped for the change and live again at the end, in the order they went live. */
  readonly restarted: string[];
  readonly failed: { key: string; error: unknown }[];
}

/** What a refresh needs from the registry's parts. */
export interface RefreshParts {
  /** Scans the root again, in the operation's turn: what appeared, disappeared or changed. */
  scan(): {
    readonly added: readonly PluginEntry[];
    readonly removed: readonly PluginRecord[];
    readonly updated: readonly (readonly [PluginRecord, PluginEntry])[];
  };
  /** Every known plugin now. */
  all(): readonly PluginRecord[];
  /** The plugins depending on a key, directly or not (resolved before the change). */
  dependentsOf(key: string): string[];
  /** Takes in a new entry (imported anew when it starts). */
  take(entry: PluginEntry): PluginRecord;
  /** Takes a plugin out, and releases what the registry built it with. */
  drop(record: PluginRecord): Promise<void>;
  /** Puts back a plugin taken out. */
  putBack(record: PluginRecord): void;
  /** The change is applied: the scan's report becomes discovery's. */
  done(): void;
}

/**
 * Brings the root's packages up to date as one exclusive operation of the lifecycle: queued when called,
 * so that nothing starts between the call and the change, and only one refresh runs at a time. In its
 * turn it scans the root again; stops the removed and updated plugins that are live, their live
 * dependents first; takes the removed ones out, and the updated ones in with their new code; then starts
 * the updated plugins that were live, the dependents it stopped (a dependent that now needs a plugin
 * nothing provides fails with PLUGIN_DEPENDENCY_REMOVED; one whose bare `@inject(type)` now means another
 * plugin starts with that one), and the new plugins when plugins had been started. An update whose new
 * code fails to start is rolled back: the old code comes back and starts again with its dependents. A
 * shutdown or restore asked for meanwhile cancels what it has not started yet; the change stays applied.
 */
export function refreshWith(
  lifecycle: PluginLifecycle,
  starts: StartOperations,
  planner: PlanSource,
  parts: RefreshParts,
): Promise<RefreshReport> {
  return lifecycle.exclusive(async (op) => {
    const scan = parts.scan();
    const all = parts.all();
    const wasStarted = lifecycle.started;
    const leaving = [...scan.removed, ...scan.updated.map(([old]) => old)];
    const leavingKeys = new Set(leaving.map((record) => record.key));
    // Live when the refresh was asked for (a shutdown asked for since may be stopping them).
    const wasLive = new Set(
      leaving
        .filter((record) => record.life.state === 'active' || record.life.state === 'stopping')
        .map((record) => record.key),
    );
    // Which removed plugins each plugin needs, directly or not, as resolved before the change.
    // Asked to be live (a start of it may have been cut short by this refresh): started with its new code.
    const wasExpected = new Set(leaving.filter((record) => lifecycle.isExpected(record)).map((record) => record.key));
    const needs = new Map<string, string[]>();
    for (const removed of scan.removed) {
      for (const dependent of parts.dependentsOf(removed.key)) {
        const list = needs.get(dependent);
        if (list === undefined) needs.set(dependent, [removed.key]);
        else list.push(removed.key);
      }
    }
    const failed: { key: string; error: unknown }[] = [];
    const stopOutcome = leaving.length === 0 ? { stopped: [], failed: [] } : await op.stop(leaving, all);
    failed.push(...stopOutcome.failed);
    const down = new Set([...stopOutcome.stopped, ...stopOutcome.failed.map(({ key }) => key)]);
    const dependents = all.filter((record) => down.has(record.key) && !leavingKeys.has(record.key));

    for (const record of scan.removed) {
      await parts.drop(record);
      lifecycle.replaced(record);
    }
    const replacements = new Map<PluginRecord, PluginRecord>();
    for (const [old, entry] of scan.updated) {
      await parts.drop(old);
      const record = parts.take(entry);
      replacements.set(record, old);
      lifecycle.replaced(old, record);
    }
    const added = scan.added.map((entry) => parts.take(entry));
    parts.done();
    const report = {
      added: added.map((record) => record.key),
      removed: scan.removed.map((record) => record.key),
    };
    const toRestart = [
      ...[...replacements.keys()].filter((record) => wasLive.has(record.key) || wasExpected.has(record.key)),
      ...dependents,
    ];
    if (op.overtaken) {
      for (const record of toRestart)
        failed.push({
          key: record.key,
          error: cancelledError(record.key, 'a shutdown or restore was asked for before its restart'),
        });
      return { ok: failed.length === 0, ...report, updated: keysOf(replacements.keys()), restarted: [], failed };
    }

    // Plugins whose import failed before (a package caught half-installed) are tried again.
    const retried = wasStarted
      ? parts
          .all()
          .filter(
            (record) => record.entry !== undefined && record.life.state === 'failed' && record.life.cls === undefined,
          )
      : [];
    // What can start: each root whose plan holds now; a dependent whose plan does not lost a dependency.
    const refused = (record: PluginRecord, error: unknown) => {
      const lost = needs.get(record.key);
      const reason =
        lost === undefined || !dependents.includes(record)
          ? error
          : new PluginError(
              'PLUGIN_DEPENDENCY_REMOVED',
              `Plugin ${record.key} was stopped because ${lost.join(', ')}, which it depends on, was removed (its package is gone): ${messageOf(error)} Install a package that provides it again, or remove ${record.key}.`,
              { cause: error },
            );
      lifecycle.fail(record, reason);
      lifecycle.refuse(record, reason);
      failed.push({ key: record.key, error: reason });
    };
    const first = await startRoots(
      lifecycle,
      starts,
      planner,
      [...new Set([...toRestart, ...(wasStarted ? added : []), ...retried])],
      op.ticket,
      refused,
    );
    failed.push(...first.failed);
    if (op.overtaken) {
      // A shutdown or restore cut the restart short: what did not come back is reported cancelled.
      const reported = new Set(failed.map(({ key }) => key));
      for (const record of toRestart)
        if (record.life.state !== 'active' && !reported.has(record.key))
          failed.push({
            key: record.key,
            error: cancelledError(record.key, 'a shutdown or restore was asked for during its restart'),
          });
    }

    // New code that failed to start where the old ran: back to the old code, and start it again. A new
    // version that did not start only because a plugin it needs failed keeps its new code.
    // A start cut short by a shutdown or restore is no failure of the new code: nothing is rolled back then.
    const ownFailures = new Set(
      first.failed.filter(({ error }) => !PluginError.is(error, 'PLUGIN_START_CANCELLED')).map(({ key }) => key),
    );
    const back: PluginRecord[] = [];
    for (const [record, old] of replacements) {
      if (op.overtaken || !wasLive.has(record.key) || record.life.state === 'active' || !ownFailures.has(record.key))
        continue;
      await parts.drop(record);
      parts.putBack(old);
      lifecycle.replaced(record, old);
      replacements.delete(record);
      back.push(old);
    }
    if (back.length > 0 && !op.overtaken) {
      const waiting = [...replacements.keys()].filter((record) => wasLive.has(record.key));
      const again = [...back, ...waiting, ...dependents].filter((record) => record.life.state !== 'active');
      const second = await startRoots(lifecycle, starts, planner, [...new Set(again)], op.ticket, refused);
      failed.push(...second.failed);
    }
    const restarted = [...toRestart, ...back, ...replacements.keys()]
      .filter((record) => record.life.state === 'active')
      .sort((a, b) => lifecycle.liveSince(a) - lifecycle.liveSince(b))
      .map((record) => record.key);
    return {
      ok: failed.length === 0 && back.length === 0,
      ...report,
      updated: keysOf(replacements.keys()),
      restarted: [...new Set(restarted)],
      failed,
    };
  });
}

/** Starts the roots whose plan holds (each checked alone); `refused` hears of each that does not. */
async function startRoots(
  lifecycle: PluginLifecycle,
  starts: StartOperations,
  planner: PlanSource,
  candidates: readonly PluginRecord[],
  ticket: number,
  refused: (record: PluginRecord, error: unknown) => void,
): Promise<StartOutcome> {
  const roots: PluginRecord[] = [];
  for (const record of candidates) {
    try {
      await planner.plan([record], 'collect');
      roots.push(record);
    } catch (error) {
      refused(record, error);
    }
  }
  if (roots.length === 0) return { started: [], failed: [], skipped: [], timings: new Map() };
  const plan: Plan = await planner.plan(roots, 'collect');
  lifecycle.expect(plan.order);
  return starts.run(plan, ticket);
}

function keysOf(records: Iterable<PluginRecord>): string[] {
  return [...records].map((record) => record.key);
}
