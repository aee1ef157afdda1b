import { OperationGate } from '../../../src/lifecycle/operation-gate';
import { deferred } from '../../support/lifecycle-fixtures';

/** Lets every promise job queued so far run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('OperationGate', () => {
  it('runs operations one at a time, in the order they were asked for, never within the caller’s call', async () => {
    const gate = new OperationGate();
    const log: string[] = [];
    const first = deferred();
    const a = gate.run(gate.ticket(), false, async () => {
      log.push('a begins');
      await first.promise;
      log.push('a ends');
      return 'a';
    });
    const b = gate.run(gate.ticket(), false, async () => {
      log.push('b runs');
      return 'b';
    });
    const c = gate.run(gate.ticket(), false, async () => {
      log.push('c runs');
      return 'c';
    });
    expect(log).toEqual([]);
    await settle();
    expect(log).toEqual(['a begins']);
    first.resolve();
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a begins', 'a ends', 'b runs', 'c runs']);
  });

  it('puts a preemptive operation after the one running and earlier preemptive ones, ahead of the others', async () => {
    const gate = new OperationGate();
    const log: string[] = [];
    const running = deferred();
    const op = (name: string, preemptive: boolean, wait?: Promise<void>) =>
      gate.run(preemptive ? gate.overtake() : gate.ticket(), preemptive, async () => {
        log.push(name);
        await wait;
      });
    const all = [op('restart 1', false, running.promise)];
    await settle();
    all.push(op('restart 2', false), op('restart 3', false), op('shutdown', true), op('restore', true));
    running.resolve();
    await Promise.all(all);
    expect(log).toEqual(['restart 1', 'shutdown', 'restore', 'restart 2', 'restart 3']);
  });

  it('starts a non-preemptive operation only once no start is in flight, and a preemptive one at once', async () => {
    const gate = new OperationGate();
    const log: string[] = [];
    gate.began();
    gate.began();
    const restart = gate.run(gate.ticket(), false, async () => void log.push('restart'));
    await settle();
    expect(log).toEqual([]);
    const shutdown = gate.run(gate.overtake(), true, async () => void log.push('shutdown'));
    await settle();
    expect(log).toEqual(['shutdown']);
    gate.ended();
    await settle();
    expect(log).toEqual(['shutdown']);
    gate.ended();
    await Promise.all([restart, shutdown]);
    expect(log).toEqual(['shutdown', 'restart']);
  });

  it('holds starts back while an operation is queued or running, but the running operation’s own', async () => {
    const gate = new OperationGate();
    const before = gate.ticket();
    expect(gate.wait(before)).toBeUndefined();
    const inFlight = deferred();
    gate.began();
    const mark = gate.ticket();
    const body = deferred();
    const done = gate.run(mark, false, () => body.promise);
    const waiting = gate.wait(before);
    expect(waiting).toBeInstanceOf(Promise);
    expect(gate.wait(mark)).toBeInstanceOf(Promise); // queued, not running yet: its own starts wait too
    let opened = false;
    void waiting?.then(() => (opened = true));
    gate.ended();
    inFlight.resolve();
    await settle();
    expect(gate.wait(mark)).toBeUndefined(); // running: its own starts may begin
    expect(gate.wait(gate.ticket())).toBeInstanceOf(Promise);
    expect(opened).toBe(false);
    body.resolve();
    await done;
    await settle();
    expect(opened).toBe(true);
    expect(gate.wait(before)).toBeUndefined();
  });

  it('cancels every start and operation asked for before a preemptive one, and none after', () => {
    const gate = new OperationGate();
    const early = gate.ticket();
    const operation = gate.ticket();
    expect(gate.isCancelled(early)).toBe(false);
    const mark = gate.overtake();
    const late = gate.ticket();
    expect([gate.isCancelled(early), gate.isCancelled(operation)]).toEqual([true, true]);
    expect([gate.isCancelled(mark), gate.isCancelled(late)]).toEqual([false, false]);
  });

  it('moves on after an operation whose body throws, and rejects its caller with the error', async () => {
    const gate = new OperationGate();
    const failure = new Error('body failed');
    const failed = gate.run(gate.ticket(), false, () => {
      throw failure;
    });
    const next = gate.run(gate.ticket(), false, async () => 'next');
    await expect(failed).rejects.toBe(failure);
    expect(await next).toBe('next');
    expect(gate.wait(gate.ticket())).toBeUndefined();
  });
});
