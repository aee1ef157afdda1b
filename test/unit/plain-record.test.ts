import { plainRecord } from '../../src/plain-record';

describe('plainRecord', () => {
  it('makes what Object.fromEntries makes: own data properties in order, on the usual prototype', () => {
    const entries: [string, number][] = [
      ['floe.computes:duckdb', 1],
      ['floe.catalogs:polaris', 2],
      ['10', 3],
    ];
    const record = plainRecord(entries);
    expect(record).toEqual(Object.fromEntries(entries));
    expect(Object.keys(record)).toEqual(Object.keys(Object.fromEntries(entries)));
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(String(record as object)).toBe('[object Object]');
    expect(JSON.stringify(record)).toBe('{"10":3,"floe.computes:duckdb":1,"floe.catalogs:polaris":2}');
  });

  it('keeps __proto__ as an own key, as Object.fromEntries does, without changing the prototype', () => {
    const record = plainRecord([['__proto__', { polluted: true }]]);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('takes any iterable of pairs, a Map included; the last value of a repeated key wins', () => {
    expect(plainRecord(new Map([['a', 1]]))).toEqual({ a: 1 });
    expect(
      plainRecord([
        ['a', 1],
        ['a', 2],
      ]),
    ).toEqual({ a: 2 });
    expect(plainRecord([])).toEqual({});
  });
});
