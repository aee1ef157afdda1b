// Tables keyed by a record's index. A plain array written first at a high index (records are often visited
// in key order, not index order) turns sparse, and V8 then keeps it as a slow dictionary: at 100,000
// plugins that alone made ordering several times slower. These tables grow densely instead.

const NO_NUMBERS = new Int32Array(0);

/** Small integers by index, in a typed array that doubles as it grows; `fallback` where nothing was set. */
export class NumbersByIndex {
  // No array until the first write: a registry makes several tables, and many are never written.
  private values = NO_NUMBERS;

  constructor(private readonly fallback = 0) {}

  get(index: number): number {
    return index < this.values.length ? this.values[index] : this.fallback;
  }

  set(index: number, value: number): void {
    if (index >= this.values.length) {
      let length = Math.max(64, this.values.length * 2);
      while (length <= index) length *= 2;
      const grown = new Int32Array(length).fill(this.fallback);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[index] = value;
  }
}

/** Values by index, in an array kept dense by filling any gap with `undefined`. */
export class ValuesByIndex<T> {
  private readonly items: (T | undefined)[] = [];

  get(index: number): T | undefined {
    return this.items[index];
  }

  set(index: number, value: T | undefined): void {
    const items = this.items;
    while (items.length < index) items.push(undefined);
    items[index] = value;
  }
}
