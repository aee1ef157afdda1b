import { HookAbort, callWithSignal, readsArguments } from '../../../src/lifecycle/hook-abort';

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

describe('readsArguments', () => {
  class Plugin {
    async startup(): Promise<void> {}
    async withSignal(signal: AbortSignal): Promise<boolean> {
      return signal.aborted;
    }
    async optional(signal?: AbortSignal): Promise<boolean> {
      return signal?.aborted ?? false;
    }
    async defaulted(signal: AbortSignal | undefined = undefined): Promise<unknown> {
      return signal;
    }
    async rest(...args: unknown[]): Promise<unknown> {
      return args[0];
    }
    legacy(): unknown {
      // eslint-disable-next-line prefer-rest-params -- the case under test
      return arguments[0];
    }
    ['computed'.toString()](): void {}
  }
  const proto = Plugin.prototype as unknown as Record<string, (...args: never[]) => unknown>;

  it.each([
    ['a method without parameters', proto.startup, false],
    ['an arrow without parameters', () => 1, false],
    ['a method with a parameter', proto.withSignal, true],
    ['an optional parameter', proto.optional, true],
    ['a parameter with a default (length 0)', proto.defaulted, true],
    ['rest parameters (length 0)', proto.rest, true],
    ['a function reading `arguments`', proto.legacy, true],
    ['a bound function', proto.startup.bind({}), true],
    ['a method with a computed name', proto.computed, true],
  ])('%s: %s', (_what, fn, expected) => {
    expect(readsArguments(fn)).toBe(expected);
    expect(readsArguments(fn)).toBe(expected);
  });
});

describe('callWithSignal', () => {
  it('passes the signal to a hook that takes one, and nothing to one that does not', () => {
    const abort = new HookAbort();
    const seen: unknown[][] = [];
    const self = { tag: 'plugin' };
    const takes = function (this: unknown, signal: AbortSignal) {
      seen.push([this, signal]);
    };
    const ignores = function (this: unknown) {
      seen.push([this]);
    };
    callWithSignal(takes, self, abort);
    callWithSignal(ignores, self, abort);
    expect(seen).toEqual([[self, abort.signal], [self]]);
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
