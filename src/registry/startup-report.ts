import type { StartOutcome } from '../lifecycle/start-scheduler';
import { criticalPath } from '../ordering/critical-path';
import type { Plan } from './dependency-planner';
import type { StartupReport, StartupTiming } from './reports';

/** Turns what the scheduler did into the report `startAll` returns. */
export function buildStartupReport(
  plan: Plan,
  deps: ReadonlyMap<string, readonly string[]>,
  outcome: StartOutcome,
  durationMs: number,
): StartupReport {
  const started = plan.order
    .filter((record) => record.state === 'active')
    .sort((a, b) => (a.liveSince ?? 0) - (b.liveSince ?? 0))
    .map((record) => record.key);
  const timings: Record<string, StartupTiming> = {};
  for (const [key, timing] of outcome.timings)
    timings[key] = { ...timing, durationMs: timing.endedAt - timing.startedAt };
  return {
    ok: outcome.failed.length === 0 && outcome.skipped.length === 0,
    started,
    failed: outcome.failed,
    skipped: outcome.skipped,
    durationMs,
    timings,
    criticalPath: criticalPath(outcome.timings, deps),
  };
}
