import { EventEmitter } from 'node:events';
import { onTermination } from '../../../src/lifecycle/termination';
import { deferred } from '../../support/lifecycle-fixtures';

function source() {
  return new EventEmitter();
}

describe('onTermination', () => {
  it('begins one shutdown on the first signal and ends with its report', async () => {
    const signals = source();
    const report = { ok: true, failed: [], stopped: ['floe.computes:duckdb'] };
    const shutdownAll = jest.fn(async () => report);
    const seen: [string, number][] = [];
    const termination = onTermination({ shutdownAll }, { source: signals, onSignal: (s, n) => seen.push([s, n]) });
    expect(termination.received).toBe(0);
    signals.emit('SIGINT', 'SIGINT');
    expect(termination.received).toBe(1);
    expect(shutdownAll).toHaveBeenCalledTimes(1);
    expect(await termination.signalled).toBe('SIGINT');
    expect(await termination.done).toEqual({ by: 'shutdown', report });
    expect(seen).toEqual([['SIGINT', 1]]);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('ends at once, within the second signal’s own call, and only once', async () => {
    const signals = source();
    const stopping = deferred<{ ok: boolean; failed: [] }>();
    const ends: string[] = [];
    const termination = onTermination(
      { shutdownAll: () => stopping.promise },
      { source: signals, signals: ['SIGTERM'], onEnd: (outcome) => ends.push(outcome.by) },
    );
    signals.emit('SIGTERM', 'SIGTERM');
    signals.emit('SIGTERM', 'SIGTERM');
    expect(ends).toEqual(['second-signal']);
    stopping.resolve({ ok: true, failed: [] });
    expect(await termination.done).toEqual({ by: 'second-signal' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ends).toEqual(['second-signal']);
  });

  it('ends when the budget runs out, and clears its timer when the shutdown ends first', async () => {
    jest.useFakeTimers();
    try {
      const signals = source();
      const slow = onTermination(
        { shutdownAll: () => new Promise<{ ok: boolean; failed: [] }>(() => undefined) },
        { source: signals, budgetMs: 50 },
      );
      signals.emit('SIGTERM', 'SIGTERM');
      jest.advanceTimersByTime(50);
      expect(await slow.done).toEqual({ by: 'budget' });

      const other = source();
      const quick = onTermination(
        { shutdownAll: async () => ({ ok: false, failed: [] }) },
        { source: other, budgetMs: 50 },
      );
      other.emit('SIGTERM', 'SIGTERM');
      expect(await quick.done).toEqual({ by: 'shutdown', report: { ok: false, failed: [] } });
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports a shutdown that throws instead of resolving', async () => {
    const signals = source();
    const failure = new Error('broken target');
    const termination = onTermination(
      {
        shutdownAll: () => {
          throw failure;
        },
      },
      { source: signals },
    );
    signals.emit('SIGTERM', 'SIGTERM');
    expect(await termination.done).toEqual({ by: 'shutdown-failed', error: failure });
  });

  it('stops listening when disposed', () => {
    const signals = source();
    const shutdownAll = jest.fn(async () => ({ ok: true, failed: [] }));
    const termination = onTermination({ shutdownAll }, { source: signals });
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    termination.dispose();
    signals.emit('SIGTERM', 'SIGTERM');
    expect(shutdownAll).not.toHaveBeenCalled();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});
