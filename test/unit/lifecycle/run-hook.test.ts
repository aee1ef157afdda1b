import { PluginTimeoutError } from '../../../src';
import { runHook, type LateOutcome } from '../../../src/lifecycle/run-hook';

const call = { pluginKey: 'floe.computes:duckdb', phase: 'startup' as const };

describe('runHook', () => {
  afterEach(() => jest.useRealTimers());

  it('resolves with the hook’s value and clears its timer', async () => {
    jest.useFakeTimers();
    const result = runHook({ ...call, timeoutMs: 1000, hook: async () => 42 });
    await expect(result).resolves.toBe(42);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('turns a synchronous throw into a rejection', async () => {
    await expect(
      runHook({
        ...call,
        timeoutMs: 1000,
        hook: () => {
          throw new Error('sync');
        },
      }),
    ).rejects.toThrow('sync');
  });

  it('rejects at the deadline with PluginTimeoutError and aborts the signal with it', async () => {
    jest.useFakeTimers();
    let seen: AbortSignal | undefined;
    const result = runHook({
      ...call,
      timeoutMs: 500,
      hook: (abort) => {
        seen = abort.signal;
        return new Promise(() => undefined);
      },
    });
    const assertion = expect(result).rejects.toBeInstanceOf(PluginTimeoutError);
    jest.advanceTimersByTime(499);
    expect(seen?.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    await assertion;
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toMatchObject({
      code: 'PLUGIN_TIMEOUT',
      pluginKey: 'floe.computes:duckdb',
      phase: 'startup',
      timeoutMs: 500,
    });
  });

  it('reports a late success or failure once, and only after the deadline', async () => {
    jest.useFakeTimers();
    const outcomes: LateOutcome<string>[] = [];
    let finish!: (value: string) => void;
    const result = runHook<string>({
      ...call,
      timeoutMs: 100,
      hook: () => new Promise<string>((resolve) => (finish = resolve)),
      onLateSettle: (outcome) => outcomes.push(outcome),
    });
    const assertion = expect(result).rejects.toBeInstanceOf(PluginTimeoutError);
    jest.advanceTimersByTime(100);
    await assertion;
    finish('done');
    finish('again');
    await jest.advanceTimersByTimeAsync(0);
    expect(outcomes).toEqual([{ ok: true, value: 'done' }]);

    const failures: LateOutcome<unknown>[] = [];
    const failing = runHook({
      ...call,
      timeoutMs: 100,
      hook: () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late')), 200)),
      onLateSettle: (outcome) => failures.push(outcome),
    });
    const failed = expect(failing).rejects.toBeInstanceOf(PluginTimeoutError);
    await jest.advanceTimersByTimeAsync(200);
    await failed;
    expect(failures).toEqual([{ ok: false, error: new Error('late') }]);
  });

  it('does not report a hook that settles in time as late', async () => {
    const late = jest.fn();
    await runHook({ ...call, timeoutMs: 1000, hook: () => 'ok', onLateSettle: late });
    expect(late).not.toHaveBeenCalled();
  });

  it('rejects at once when cancelled, clears its timer and ignores what the hook does afterwards', async () => {
    jest.useFakeTimers();
    let cancel!: (error: unknown) => void;
    let finish!: (value: string) => void;
    const late = jest.fn();
    const result = runHook<string>({
      ...call,
      timeoutMs: 1000,
      hook: () => new Promise<string>((resolve) => (finish = resolve)),
      onLateSettle: late,
      cancellable: (fail) => (cancel = fail),
    });
    const reason = new Error('a shutdown began');
    cancel(reason);
    await expect(result).rejects.toBe(reason);
    expect(jest.getTimerCount()).toBe(0);
    finish('built anyway');
    cancel(new Error('again'));
    await jest.advanceTimersByTimeAsync(2000);
    expect(late).not.toHaveBeenCalled();
  });

  it('does nothing when cancelled after it settled', async () => {
    let cancel!: (error: unknown) => void;
    const result = runHook({ ...call, timeoutMs: 1000, hook: () => 'done', cancellable: (fail) => (cancel = fail) });
    await expect(result).resolves.toBe('done');
    cancel(new Error('too late'));
    await expect(result).resolves.toBe('done');
  });

  it('sets no timer for an infinite timeout', async () => {
    jest.useFakeTimers();
    let finish!: () => void;
    const result = runHook({
      ...call,
      timeoutMs: Infinity,
      hook: () => new Promise<void>((resolve) => (finish = resolve)),
    });
    expect(jest.getTimerCount()).toBe(0);
    finish();
    await expect(result).resolves.toBeUndefined();
  });
});
