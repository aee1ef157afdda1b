import type { StartupTiming } from './reports';

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
  readonly timings: Map<string, StartupTiming>;
}

/**
 * The rejection of a start that could not begin because a plugin it depends on is not live any more (an
 * operation stopped it, and it did not come back): the plugin is skipped, not failed.
 */
export class BlockedStart extends Error {
  constructor(readonly blockedBy: string) {
    super(`its dependency ${blockedBy} is not live`);
    this.name = 'BlockedStart';
  }
}

type Settled = { readonly up: true } | { readonly up: false; readonly blockedBy: string };

const UP: Settled = { up: true };
const NONE: readonly string[] = [];
// A plugin with nothing to wait for begins in the next microtask, like one whose waits are all settled.
const NOTHING_TO_WAIT_FOR: Promise<readonly Settled[]> = Promise.resolve([]);

/**
 * Starts plugins in dependency order: each one as soon as all of its own dependencies are up, so
 * independent plugins start concurrently and a slow plugin delays only what depends on it. A failure is
 * collected, never thrown; everything that depends on a failed plugin is skipped and names it, and so is a
 * plugin whose start rejects with BlockedStart.
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
    const waits: Promise<Settled>[] = [];
    for (const dep of deps.get(key) ?? NONE) {
      const wait = settled.get(dep);
      if (wait !== undefined) waits.push(wait);
    }
    settled.set(
      key,
      (waits.length === 0 ? NOTHING_TO_WAIT_FOR : Promise.all(waits)).then(async (results): Promise<Settled> => {
        for (const result of results) {
          if (!result.up) {
            outcome.skipped.push({ key, blockedBy: result.blockedBy });
            return result;
          }
        }
        const startedAt = now() - origin;
        try {
          if ((await start(key)) === 'started') {
            outcome.timings.set(key, timing(startedAt, now() - origin));
            outcome.started.push(key);
          }
          return UP;
        } catch (error) {
          if (error instanceof BlockedStart) {
            outcome.skipped.push({ key, blockedBy: error.blockedBy });
            return { up: false, blockedBy: error.blockedBy };
          }
          outcome.timings.set(key, timing(startedAt, now() - origin));
          outcome.failed.push({ key, error });
          return { up: false, blockedBy: key };
        }
      }),
    );
  }
  await Promise.all(settled.values());
  return outcome;
}

function timing(startedAt: number, endedAt: number): StartupTiming {
  return { startedAt, endedAt, durationMs: endedAt - startedAt };
}
