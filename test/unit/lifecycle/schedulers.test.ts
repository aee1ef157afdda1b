import { scheduleShutdown } from '../../../src/lifecycle/stop-scheduler';
import { BlockedStart, scheduleStartup } from '../../../src/lifecycle/start-scheduler';

const clock = () => {
  let t = 0;
  return () => t++;
};

describe('scheduleStartup', () => {
  it('skips everything downstream of a failure, naming the failed plugin, and starts the rest', async () => {
    const deps = new Map([
      ['b', ['a']],
      ['c', ['b']],
      ['d', []],
      ['e', ['c', 'd']],
    ]);
    const outcome = await scheduleStartup(
      ['a', 'b', 'c', 'd', 'e'],
      deps,
      async (key) => {
        if (key === 'a') throw new Error('a broke');
        return 'started';
      },
      clock(),
    );
    expect(outcome.started).toEqual(['d']);
    expect(outcome.failed.map((f) => f.key)).toEqual(['a']);
    expect(outcome.skipped).toEqual([
      { key: 'b', blockedBy: 'a' },
      { key: 'c', blockedBy: 'a' },
      { key: 'e', blockedBy: 'a' },
    ]);
  });

  it('does not time or list plugins that were already live', async () => {
    const outcome = await scheduleStartup(
      ['a', 'b'],
      new Map([['b', ['a']]]),
      async (key) => (key === 'a' ? 'already-live' : 'started'),
      clock(),
    );
    expect(outcome.started).toEqual(['b']);
    expect([...outcome.timings.keys()]).toEqual(['b']);
  });

  it('times each start from the beginning of the run, a failed one included', async () => {
    // The clock reads 100 when the run begins, then one more at every read.
    let t = 100;
    const outcome = await scheduleStartup(
      ['a', 'b'],
      new Map([['b', []]]),
      async (key) => {
        if (key === 'b') throw new Error('b broke');
        return 'started';
      },
      () => t++,
    );
    expect(Object.fromEntries(outcome.timings)).toEqual({
      a: { startedAt: 1, endedAt: 3, durationMs: 2 },
      b: { startedAt: 2, endedAt: 4, durationMs: 2 },
    });
  });

  it('skips what depends on a plugin whose start was blocked, naming what blocked it', async () => {
    const outcome = await scheduleStartup(
      ['a', 'b', 'c'],
      new Map([
        ['b', ['a']],
        ['c', ['b']],
      ]),
      async (key) => {
        if (key === 'a') throw new BlockedStart('floe.secrets:vault');
        return 'started';
      },
      clock(),
    );
    expect(outcome.failed).toEqual([]);
    expect(outcome.started).toEqual([]);
    expect(outcome.skipped).toEqual([
      { key: 'a', blockedBy: 'floe.secrets:vault' },
      { key: 'b', blockedBy: 'floe.secrets:vault' },
      { key: 'c', blockedBy: 'floe.secrets:vault' },
    ]);
    const blocked = new BlockedStart('floe.secrets:vault');
    expect([blocked.name, blocked.message]).toEqual(['BlockedStart', 'its dependency floe.secrets:vault is not live']);
  });

  it('starts a plugin whose dependencies are outside the run, without waiting for them', async () => {
    const outcome = await scheduleStartup(['b'], new Map([['b', ['a']]]), async () => 'started', clock());
    expect(outcome).toMatchObject({ started: ['b'], failed: [], skipped: [] });
  });
});

describe('scheduleShutdown', () => {
  it('stops dependents first, also through plugins that are not live', async () => {
    const stopped: string[] = [];
    // app -> cache (not live) -> db: app must stop before db.
    const deps = new Map([
      ['app', ['cache']],
      ['cache', ['db']],
    ]);
    const outcome = await scheduleShutdown(['db', 'app'], deps, async (key) => {
      await new Promise((resolve) => setImmediate(resolve));
      stopped.push(key);
    });
    expect(stopped).toEqual(['app', 'db']);
    expect(outcome.stopped).toEqual(['app', 'db']);
  });

  it('looks through a cycle among plugins that are not live without going round it', async () => {
    const stopped: string[] = [];
    // app -> a -> b -> a (neither live), and b -> db: app must stop before db.
    const deps = new Map([
      ['app', ['a']],
      ['a', ['b']],
      ['b', ['a', 'db']],
    ]);
    const outcome = await scheduleShutdown(['db', 'app'], deps, async (key) => {
      await new Promise((resolve) => setImmediate(resolve));
      stopped.push(key);
    });
    expect(stopped).toEqual(['app', 'db']);
    expect(outcome.failed).toEqual([]);
  });

  it('keeps stopping after a failure and reports it', async () => {
    const outcome = await scheduleShutdown(['a', 'b'], new Map([['b', ['a']]]), async (key) => {
      if (key === 'b') throw new Error('b stuck');
    });
    expect(outcome.stopped).toEqual(['a']);
    expect(outcome.failed).toEqual([{ key: 'b', error: new Error('b stuck') }]);
  });

  it('does not deadlock on a cycle among live plugins', async () => {
    const outcome = await scheduleShutdown(
      ['a', 'b'],
      new Map([
        ['a', ['b']],
        ['b', ['a']],
      ]),
      async () => undefined,
    );
    expect(outcome.stopped.sort()).toEqual(['a', 'b']);
  });
});
