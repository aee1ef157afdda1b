import type { HookAbort } from './hook-abort';
import { callWithSignal } from './hook-abort';

/** Calls an optional lifecycle method of a plugin instance; a missing one does nothing, a throw rejects. */
export function callHook(instance: unknown, name: 'startup' | 'shutdown', abort: HookAbort): Promise<unknown> {
  try {
    const hook = (instance as Record<string, unknown> | null | undefined)?.[name];
    if (typeof hook !== 'function') return Promise.resolve();
    return Promise.resolve(callWithSignal(hook as () => unknown, instance, abort));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Whole milliseconds since `began`, for logs. */
export function elapsed(now: () => number, began: number): number {
  return Math.round(now() - began);
}
