import { PluginTimeoutError, type HookPhase } from '../errors';
import { deadlines } from './deadlines';
import { HookAbort } from './hook-abort';

/** How a hook that outlived its timeout eventually ended. */
export type LateOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** One hook call to run under a timeout. */
export interface HookCall<T> {
  readonly pluginKey: string;
  readonly phase: HookPhase;
  /** Milliseconds before the signal aborts and the call rejects; `Infinity` for no limit. */
  readonly timeoutMs: number;
  /** The hook; `abort.signal` is its AbortSignal. */
  readonly hook: (abort: HookAbort) => T | Promise<T>;
  /** Called once if the hook settles after its timeout, so a late finisher can be cleaned up. */
  readonly onLateSettle?: (outcome: LateOutcome<T>) => void;
  /**
   * The abort the hook receives, when the caller must abort it for other reasons too (a shutdown
   * cancelling a start); default a new one. At the deadline it is aborted with the timeout.
   */
  readonly abort?: HookAbort;
  /**
   * Receives a function that rejects the call at once with the given error (a shutdown cancelling a start
   * that has no hook to abort yet); whatever the hook does afterwards is ignored.
   */
  readonly cancellable?: (cancel: (error: unknown) => void) => void;
}

/**
 * Runs a hook under its timeout. At the deadline the hook's abort (and its AbortSignal, if made) aborts,
 * with the PluginTimeoutError as its reason, and the returned promise rejects at once, without waiting for
 * a hook that ignores the signal. A synchronous throw becomes a rejection. The deadline's timer is shared
 * with the hooks that began in the same millisecond with the same limit (see Deadlines) and is cleared once
 * they are all done; a settlement after the deadline is reported once to `onLateSettle` and never otherwise
 * observed.
 */
export function runHook<T>(call: HookCall<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = call.abort ?? new HookAbort();
    let settled = false;
    const deadline = deadlines.after(call.timeoutMs, () => {
      settled = true;
      const timeout = new PluginTimeoutError(call.pluginKey, call.phase, call.timeoutMs);
      abort.abort(timeout);
      reject(timeout);
    });

    let cancelled = false;
    call.cancellable?.((error) => {
      if (settled) return;
      settled = cancelled = true;
      deadline.cancel();
      reject(error);
    });

    let result: Promise<T>;
    try {
      result = Promise.resolve(call.hook(abort));
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      (value) => {
        if (!settled) {
          settled = true;
          deadline.cancel();
          resolve(value);
        } else if (!cancelled) call.onLateSettle?.({ ok: true, value });
      },
      (error: unknown) => {
        if (!settled) {
          settled = true;
          deadline.cancel();
          reject(error);
        } else if (!cancelled) call.onLateSettle?.({ ok: false, error });
      },
    );
  });
}
