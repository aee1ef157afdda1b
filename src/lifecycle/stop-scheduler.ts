/** What a shutdown run did. */
export interface StopOutcome {
  /** Plugins stopped cleanly, in the order they finished. */
  readonly stopped: string[];
  readonly failed: { key: string; error: unknown }[];
}

const NONE: readonly string[] = [];
// A plugin no live plugin depends on stops in the next microtask, like one whose dependents are all down.
const NOTHING_TO_WAIT_FOR: Promise<unknown> = Promise.resolve();

/**
 * Stops live plugins in reverse dependency order: each one only after every live plugin that depends on
 * it, directly or through plugins that are not live, has stopped or failed to. Independent plugins stop
 * concurrently; failures are collected and never stop the others.
 *
 * @param live - the plugins to stop.
 * @param deps - dependencies of every known plugin, live or not.
 */
export async function scheduleShutdown(
  live: readonly string[],
  deps: ReadonlyMap<string, readonly string[]>,
  stop: (key: string) => Promise<void>,
): Promise<StopOutcome> {
  const liveSet = new Set(live);
  // Made for the plugins that have dependents only.
  const dependents = new Map<string, string[]>();
  for (const key of live) {
    for (const dep of liveDependencies(key, liveSet, deps)) {
      const list = dependents.get(dep);
      if (list === undefined) dependents.set(dep, [key]);
      else list.push(key);
    }
  }

  const outcome: StopOutcome = { stopped: [], failed: [] };
  const done = new Map<string, Promise<void>>();
  const visiting = new Set<string>();
  const finish = (key: string): Promise<void> => {
    const existing = done.get(key);
    if (existing !== undefined) return existing;
    visiting.add(key);
    // A cycle among live plugins cannot come from a startup run; if one is forced in, it is not waited on.
    const waits: Promise<void>[] = [];
    for (const dependent of dependents.get(key) ?? NONE) {
      if (!visiting.has(dependent) || done.has(dependent)) waits.push(finish(dependent));
    }
    visiting.delete(key);
    const promise = (waits.length === 0 ? NOTHING_TO_WAIT_FOR : Promise.all(waits)).then(() =>
      stop(key).then(
        () => void outcome.stopped.push(key),
        (error: unknown) => void outcome.failed.push({ key, error }),
      ),
    );
    done.set(key, promise);
    return promise;
  };
  await Promise.all(live.map(finish));
  return outcome;
}

/** The nearest live plugins `key` depends on, looking through plugins that are not live. */
function liveDependencies(
  key: string,
  live: ReadonlySet<string>,
  deps: ReadonlyMap<string, readonly string[]>,
): Iterable<string> {
  // Usually every dependency of a live plugin is live itself: then they are the answer (keys are unique).
  const direct = deps.get(key) ?? NONE;
  let allLive = true;
  for (const dep of direct) {
    if (!live.has(dep) || dep === key) {
      allLive = false;
      break;
    }
  }
  if (allLive) return direct;
  const found = new Set<string>();
  const seen = new Set<string>([key]);
  const stack = [...(deps.get(key) ?? [])];
  while (stack.length > 0) {
    const dep = stack.pop() as string;
    if (seen.has(dep)) continue;
    seen.add(dep);
    if (live.has(dep)) found.add(dep);
    else stack.push(...(deps.get(dep) ?? []));
  }
  return found;
}
