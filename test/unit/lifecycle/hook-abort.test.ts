import { HookAbort, callWithSignal } from '../../../src/lifecycle/hook-abort';

describe('HookAbort', () => {
  it('makes its signal on first use and aborts it with the reason', () => {
    const abort = new HookAbort();
    const signal = abort.signal;
    expect(abort.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    const reason = new Error('time is up');
    abort.abort(reason);
    expect(abort.aborted).toBe(true);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('gives a signal made after the abort already aborted, with the first reason kept', () => {
    const abort = new HookAbort();
    const first = new Error('first');
    abort.abort(first);
    abort.abort(new Error('second'));
    expect(abort.reason).toBe(first);
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe(first);
  });
});

describe('callWithSignal', () => {
  it('passes the real signal to every hook, whatever its parameter list or source text looks like', () => {
    const abort = new HookAbort();
    const seen: unknown[][] = [];
    const self = { tag: 'plugin' };
    const takes = function (this: unknown, signal: AbortSignal) {
      seen.push([this, signal]);
    };
    // Its source declares no parameter and never mentions `arguments`; its own `call` shows what it is given.
    const declaresNothing = Object.assign(function () {}, {
      call: (that: unknown, ...args: unknown[]) => seen.push([that, ...args]),
    });
    callWithSignal(takes, self, abort);
    callWithSignal(declaresNothing, self, abort);
    expect(seen).toEqual([
      [self, abort.signal],
      [self, abort.signal],
    ]);
    expect(abort.signal).toBeInstanceOf(AbortSignal);
  });

  it('passes the signal through a wrapper that forwards its arguments, as method decorators do', () => {
    const abort = new HookAbort();
    let received: unknown;
    const original = (signal: AbortSignal) => (received = signal);
    const wrapped = (...args: [AbortSignal]) => original(...args);
    callWithSignal(wrapped, undefined, abort);
    expect(received).toBeInstanceOf(AbortSignal);
    abort.abort(new Error('stop'));
    expect((received as AbortSignal).aborted).toBe(true);
  });
});
