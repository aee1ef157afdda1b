/** When a plugin's startup began and ended, in milliseconds from the start of the run. */
export interface StartTiming {
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * The chain of plugins that determined how long a startup took: from the plugin that finished last, back
 * through the dependency each plugin waited for longest, to a plugin that waited for nothing.
 * Returned root first.
 */
export function criticalPath(
  timings: ReadonlyMap<string, StartTiming>,
  deps: ReadonlyMap<string, readonly string[]>,
): string[] {
  let last: string | undefined;
  for (const [key, timing] of timings) {
    if (last === undefined || timing.endedAt > (timings.get(last) as StartTiming).endedAt) last = key;
  }
  const path: string[] = [];
  const seen = new Set<string>();
  for (let key = last; key !== undefined && !seen.has(key);) {
    seen.add(key);
    path.push(key);
    let waitedFor: string | undefined;
    for (const dep of deps.get(key) ?? []) {
      const timing = timings.get(dep);
      if (
        timing !== undefined &&
        (waitedFor === undefined || timing.endedAt > (timings.get(waitedFor) as StartTiming).endedAt)
      ) {
        waitedFor = dep;
      }
    }
    key = waitedFor;
  }
  return path.reverse();
}
