/**
 * The abort of one hook call (or of one start, which spans construction and startup). Its AbortSignal is
 * made only when a hook can read it: a signal costs several hundred bytes and most of a hook call's
 * allocations, and most hooks never take one. Aborting before or after the signal is made gives the same
 * signal: aborted, with the same reason.
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

const readers = new WeakMap<object, boolean>();

/**
 * Calls a plugin's hook as a method of `self`, passing the AbortSignal only when the hook can read an
 * argument; a hook that declares no parameter (and never mentions `arguments`) is called with none.
 */
export function callWithSignal(hook: (...args: never[]) => unknown, self: unknown, abort: HookAbort): unknown {
  const call = hook as (this: unknown, signal?: AbortSignal) => unknown;
  return readsArguments(hook) ? call.call(self, abort.signal) : call.call(self);
}

/**
 * Whether a function may read the arguments it is called with. Only a function whose source shows an empty
 * parameter list and no `arguments` or `eval` is known not to; anything else (parameters, defaults, rest,
 * bound and native functions, sources that cannot be read) is taken to read them. Remembered per function.
 */
export function readsArguments(fn: (...args: never[]) => unknown): boolean {
  if (fn.length > 0) return true;
  let reads = readers.get(fn);
  if (reads === undefined) {
    reads = mayReadArguments(fn);
    readers.set(fn, reads);
  }
  return reads;
}

function mayReadArguments(fn: (...args: never[]) => unknown): boolean {
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return true;
  }
  if (/\barguments\b|\beval\b|\[native code\]/.test(source)) return true;
  // The first parenthesis opens the parameter list, unless the method's name is computed (`[key]() {}`):
  // then the answer errs on the side of passing the signal.
  const open = source.indexOf('(');
  const close = source.indexOf(')', open + 1);
  return open < 0 || close < 0 || source.lastIndexOf('[', open) >= 0 || source.slice(open + 1, close).trim() !== '';
}
