import type fc from 'fast-check';

/**
 * Lets fast-check's scheduler run until `until` settles; a run that cannot finish is a violation, not a hang
 * of the suite. With `hangs`, hooks may wait on real timers (their timeouts): it then yields to timers too.
 */
export async function drain(
  s: fc.Scheduler,
  until: Promise<unknown>,
  violations: string[],
  hangs = false,
): Promise<void> {
  let done = false;
  void until.then(
    () => (done = true),
    () => (done = true),
  );
  for (let turn = 0; !done; turn++) {
    if (turn > 10_000) {
      violations.push('the operations did not finish');
      return;
    }
    if (s.count() > 0) await s.waitAll();
    else await new Promise((resolve) => (hangs ? setTimeout(resolve, 1) : setImmediate(resolve)));
  }
}

/** A check of a model run: a throw inside it (a checker that failed) is recorded as a violation too. */
export function checker(violations: string[]): (what: string, fn: () => void) => void {
  return (what, fn) => {
    try {
      fn();
    } catch (error) {
      violations.push(`checker failed (${what}): ${String(error)}`);
    }
  };
}
