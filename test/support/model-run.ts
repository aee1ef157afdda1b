/* What the model-based property tests share: launching operations in turn, checking, draining the scheduler. */
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

/**
 * Launches each operation by a scheduled step once the one before was launched (or, with `afterPrevious`,
 * ended), so that fast-check's scheduler decides how they interleave: `perform` runs it, then `ended` hears
 * how it ended (`error` undefined when it did not reject). Returns what settles when each has ended.
 */
export function launchInTurn<O extends { readonly op: string }>(
  s: fc.Scheduler,
  operations: readonly { readonly operation: O; readonly afterPrevious: boolean }[],
  perform: (operation: O) => Promise<unknown>,
  ended: (operation: O, failed: { error: unknown } | undefined) => void,
): Promise<unknown>[] {
  const settled: Promise<unknown>[] = [];
  let previous = { launched: Promise.resolve() as Promise<unknown>, ended: Promise.resolve() as Promise<unknown> };
  for (const { operation, afterPrevious } of operations) {
    const after = afterPrevious ? previous.ended : previous.launched;
    const launched = after.then(() => s.schedule(Promise.resolve(operation.op), `launch ${operation.op}`));
    const end = launched
      .then(() => perform(operation))
      .then(
        () => ended(operation, undefined),
        (error: unknown) => ended(operation, { error }),
      );
    settled.push(end);
    previous = { launched, ended: end };
  }
  return settled;
}
