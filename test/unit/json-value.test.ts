import { PluginNotFoundError, PluginStartupError } from '../../src';
import { toJsonValue } from '../../src/json-value';

describe('toJsonValue', () => {
  it('keeps plain data as it is', () => {
    const data = { a: 1, b: 'two', c: [true, null], d: { e: -0.5 } };
    expect(toJsonValue(data)).toEqual(data);
  });

  it('writes markers for what JSON cannot hold', () => {
    const symbol = Symbol('tag');
    expect(
      toJsonValue({
        big: 12n,
        fn: () => 1,
        named: function probe() {},
        symbol,
        nan: Number.NaN,
        infinite: -Infinity,
        missing: undefined,
        list: [undefined, 1n],
      }),
    ).toEqual({
      big: '[BigInt 12]',
      fn: '[Function fn]',
      named: '[Function probe]',
      symbol: '[Symbol tag]',
      nan: 'NaN',
      infinite: '-Infinity',
      list: [null, '[BigInt 1]'],
    });
  });

  it('marks a cycle but keeps a value shared twice', () => {
    const shared = { x: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    expect(toJsonValue(cyclic)).toEqual({ shared: { x: 1 }, again: { x: 1 }, self: '[Circular]' });
  });

  it('turns errors, dates, maps and sets into data', () => {
    expect(toJsonValue(new TypeError('bad'))).toEqual({ name: 'TypeError', message: 'bad' });
    expect(toJsonValue(new PluginNotFoundError('floe.computes', 'x'))).toMatchObject({
      name: 'PluginNotFoundError',
      code: 'PLUGIN_NOT_FOUND',
      pluginName: 'x',
    });
    expect(toJsonValue(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(toJsonValue(new Date(Number.NaN))).toBeNull();
    expect(toJsonValue(new Map([['k', 1]]))).toEqual({ k: 1 });
    expect(toJsonValue(new Set([1, 2]))).toEqual([1, 2]);
  });

  it('marks what cannot be read: a throwing getter, a Proxy whose traps throw', () => {
    const getter = {};
    Object.defineProperty(getter, 'x', {
      enumerable: true,
      get() {
        throw new Error('nope');
      },
    });
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(toJsonValue({ getter, proxy })).toEqual({
      getter: { x: '[Unreadable: nope]' },
      proxy: '[Unreadable: trap]',
    });
  });

  it('stops at a depth no report needs', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100; i++) deep = deep.next = {} as Record<string, unknown>;
    let level = toJsonValue(root) as Record<string, unknown>;
    let depth = 0;
    while (typeof level.next === 'object') {
      level = level.next as Record<string, unknown>;
      depth++;
    }
    expect(depth).toBe(63);
    expect(level.next).toBe('[Too deep]');
    expect(() => JSON.stringify(toJsonValue(root))).not.toThrow();
  });
});

describe('toJsonValue with stacks', () => {
  it('writes each error’s stack and its cause chain, for --verbose', () => {
    const root = new Error('disk full');
    const error = new PluginStartupError('floe.storage:s3', root);
    const json = toJsonValue({ error }, { stacks: true }) as { error: Record<string, unknown> };
    expect(json.error).toMatchObject({
      name: 'PluginStartupError',
      code: 'PLUGIN_STARTUP_FAILED',
      stack: expect.stringContaining('PluginStartupError'),
      cause: { name: 'Error', message: 'disk full', stack: expect.stringContaining('disk full') },
    });
    // Without it, no stack anywhere.
    expect(JSON.stringify(toJsonValue({ error }))).not.toContain('"stack"');
  });

  it('writes a cause that is not an error as it is, and a cause that loops once', () => {
    const looped = new Error('outer', { cause: 'a string' });
    expect(toJsonValue(looped, { stacks: true })).toMatchObject({ message: 'outer', cause: 'a string' });
    const self = new Error('self');
    (self as { cause?: unknown }).cause = self;
    expect(toJsonValue(self, { stacks: true })).toMatchObject({ message: 'self', cause: '[Circular]' });
  });
});
