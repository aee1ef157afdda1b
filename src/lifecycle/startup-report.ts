import { criticalPath } from '../ordering/critical-path';
import { isSortedBy } from '../ordering/sorted';
import { plainRecord } from '../plain-record';
import type { Plan } from './plan';
import type { PluginRecord } from './plugin-life';
import type { StartupReport, StartupTiming } from './reports';
import type { StartOutcome } from './start-scheduler';

/**
 * Turns what the scheduler did into the report `startAll` returns, as things stand when it is built:
 * `started` holds the plugins of the plan live now, in the order they went live; a failure or skip is
 * left out when another call brought the plugin up meanwhile.
 */
export function buildStartupReport(
  plan: Plan,
  deps: ReadonlyMap<string, readonly string[]>,
  outcome: StartOutcome,
  durationMs: number,
  liveSince: (record: PluginRecord) => number,
): StartupReport {
  const live = plan.order.filter((record) => record.life.state === 'active');
  // Often already in that order (plugins started together go live in the order they started).
  if (!isSortedBy(live, liveSince)) live.sort((a, b) => liveSince(a) - liveSince(b));
  const started = live.map((record) => record.key);
  // Failures and skips of plugins another call brought up meanwhile are no longer true.
  const liveKeys = outcome.failed.length + outcome.skipped.length === 0 ? undefined : new Set(started);
  const failed = liveKeys === undefined ? [] : outcome.failed.filter(({ key }) => !liveKeys.has(key));
  const skipped = liveKeys === undefined ? [] : outcome.skipped.filter(({ key }) => !liveKeys.has(key));
  const timings: Record<string, StartupTiming> = plainRecord(outcome.timings);
  return {
    ok: failed.length === 0 && skipped.length === 0,
    started,
    failed,
    skipped,
    durationMs,
    timings,
    criticalPath: criticalPath(outcome.timings, deps),
  };
}
