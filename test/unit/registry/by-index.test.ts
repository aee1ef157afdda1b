import { NumbersByIndex, ValuesByIndex } from '../../../src/registry/by-index';

describe('NumbersByIndex', () => {
  it('answers its fallback before anything is written, and for every slot never written', () => {
    const table = new NumbersByIndex(-1);
    expect(table.get(0)).toBe(-1);
    expect(table.get(1_000_000)).toBe(-1);
    table.set(3, 7);
    expect([table.get(2), table.get(3), table.get(4), table.get(63), table.get(64)]).toEqual([-1, 7, -1, -1, -1]);
  });

  it('keeps what was written as it grows, also when first written far out', () => {
    const table = new NumbersByIndex();
    table.set(5_000, 1);
    table.set(2, 2);
    table.set(70_000, 3);
    expect([table.get(5_000), table.get(2), table.get(70_000), table.get(69_999), table.get(10)]).toEqual([
      1, 2, 3, 0, 0,
    ]);
  });

  it('keeps tables apart', () => {
    const a = new NumbersByIndex();
    const b = new NumbersByIndex();
    a.set(0, 9);
    expect(b.get(0)).toBe(0);
  });
});

describe('ValuesByIndex', () => {
  it('stays dense when written out of order', () => {
    const table = new ValuesByIndex<string>();
    table.set(4, 'e');
    table.set(1, 'b');
    expect([table.get(0), table.get(1), table.get(4), table.get(5)]).toEqual([undefined, 'b', 'e', undefined]);
  });
});
