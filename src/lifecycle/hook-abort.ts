/**
 * The abort of one hook call (or of one start, which spans construction and startup). Its AbortSignal is
 * made when first asked for: construction alone needs none, and a plugin without the hook gets none.
 * Aborting before or after the signal is made gives the same signal: aborted, with the same reason.
 */
export class HookAbort {
  private controller?: AbortController;
  private abortReason?: unknown;
  private isAborted = false;

  get aborted(): boolean {
    return this.isAborted;
  }

  /** Why it was aborted (a PluginTimeoutError, a cancellation), once it is. */
  get reason(): unknown {
    return this.abortReason;
  }

  /** The AbortSignal, made on first use; already aborted (with the reason) if the abort came first. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.isAborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Aborts, once; later calls keep the first reason. */
  abort(reason: unknown): void {
    if (this.isAborted) return;
    this.isAborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }
}

/** Calls a plugin's hook as a method of `self` with the hook's own AbortSignal. */
export function callWithSignal(hook: (...args: never[]) => unknown, self: unknown, abort: HookAbort): unknown {
  return (hook as (this: unknown, signal: AbortSignal) => unknown).call(self, abort.signal);
}
