import type { StartTiming } from '../ordering/critical-path';

/** The outcome of starting one plugin as the scheduler sees it. */
export type StartResult = 'started' | 'already-live';

/** What a startup run did. */
export interface StartOutcome {
  /** Plugins this run brought up, in the order they became live. */
  readonly started: string[];
  readonly failed: { key: string; error: unknown }[];
  /** Plugins not started because a plugin they depend on, directly or not, failed. */
  readonly skipped: { key: string; blockedBy: string }[];
  /** Start and end of each plugin this run brought up, in ms from the start of the run. */
  readonly timings: Map<string, StartTiming>;
}

type Settled = { readonly up: true } | { readonly up: false; readonly blockedBy: string };

/**
 * Starts plugins in dependency order: each one as soon as all of its own dependencies are up, so
 * independent plugins start concurrently and a slow plugin delays only what depends on it. A failure is
 * collected, never thrown; everything that depends on a failed plugin is skipped and names it.
 *
 * @param order - a topological order of the keys (dependencies first).
 * @param start - starts one plugin; rejects when it cannot.
 */
export async function scheduleStartup(
  order: readonly string[],
  deps: ReadonlyMap<string, readonly string[]>,
  start: (key: string) => Promise<StartResult>,
  now: () => number,
): Promise<StartOutcome> {
  const origin = now();
  const outcome: StartOutcome = { started: [], failed: [], skipped: [], timings: new Map() };
  const settled = new Map<string, Promise<Settled>>();

  for (const key of order) {
    const waits = (deps.get(key) ?? []).map((dep) => settled.get(dep)).filter((p) => p !== undefined);
    settled.set(
      key,
      Promise.all(waits).then(async (results): Promise<Settled> => {
        const blocked = results.find((result) => !result.up);
        if (blocked !== undefined) {
          outcome.skipped.push({ key, blockedBy: blocked.blockedBy });
          return blocked;
        }
        const startedAt = now() - origin;
        try {
          if ((await start(key)) === 'started') {
            outcome.timings.set(key, { startedAt, endedAt: now() - origin });
            outcome.started.push(key);
          }
          return { up: true };
        } catch (error) {
          outcome.timings.set(key, { startedAt, endedAt: now() - origin });
          outcome.failed.push({ key, error });
          return { up: false, blockedBy: key };
        }
      }),
    );
  }
  await Promise.all(settled.values());
  return outcome;
}
