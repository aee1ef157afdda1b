import type { PluginRecord } from '../lifecycle/plugin-life';
import type { PluginIndex } from '../ordering/dependency-references';
import type { PluginType } from '../plugin-type';
import { NumbersByIndex } from './by-index';

/** Every plugin the registry knows, by key, by type and name, and by bare name. */
export class PluginCatalog implements PluginIndex {
  private readonly byKey = new Map<string, PluginRecord>();
  /** Made per type on its first plugin. */
  private readonly byType = new Map<PluginType, Map<string, PluginRecord>>();
  /** Made when a bare name is first looked up (most platforms write every dependency as a key). */
  private keysByName?: Map<string, string[]>;
  private sorted?: readonly PluginRecord[];
  /** Records added since `sorted` was made, merged into a new sorted array on the next read. */
  private unsorted: PluginRecord[] = [];
  /** Each record's position in key order, by record index; valid while `ranked` is `sorted`. */
  private readonly ranksByIndex = new NumbersByIndex();
  private ranked?: readonly PluginRecord[];

  add(record: PluginRecord): void {
    this.byKey.set(record.key, record);
    if (this.sorted !== undefined) this.unsorted.push(record);
    const named = this.byType.get(record.type);
    if (named === undefined) this.byType.set(record.type, new Map([[record.name, record]]));
    else named.set(record.name, record);
    if (this.keysByName !== undefined) addName(this.keysByName, record);
  }

  /** Takes a plugin out (its package was removed, or replaced by a new version); a copy keeps it. */
  remove(record: PluginRecord): void {
    if (this.byKey.get(record.key) !== record) return;
    this.byKey.delete(record.key);
    const named = this.byType.get(record.type);
    named?.delete(record.name);
    if (named?.size === 0) this.byType.delete(record.type);
    const { keysByName } = this;
    if (keysByName !== undefined) {
      const keys = (keysByName.get(record.name) ?? []).filter((key) => key !== record.key);
      if (keys.length === 0) keysByName.delete(record.name);
      else keysByName.set(record.name, keys);
    }
    this.sorted = undefined;
    this.unsorted = [];
    this.ranked = undefined;
  }

  /** Every plugin, in the order they were added. */
  inAddedOrder(): IterableIterator<PluginRecord> {
    return this.byKey.values();
  }

  get(key: string): PluginRecord | undefined {
    return this.byKey.get(key);
  }

  /** Whether this very record (not only its key) is in the catalog. */
  has(record: PluginRecord): boolean {
    return this.byKey.get(record.key) === record;
  }

  find(type: PluginType, name: string): PluginRecord | undefined {
    return this.byType.get(type)?.get(name);
  }

  /** The plugins of one type, sorted by name. */
  ofType(type: PluginType): PluginRecord[] {
    return [...(this.byType.get(type)?.values() ?? [])].sort((a, b) => compare(a.name, b.name));
  }

  /** How many plugins of one type are known. */
  countOfType(type: PluginType): number {
    return this.byType.get(type)?.size ?? 0;
  }

  /**
   * Every plugin, sorted by key; computed once per change. Records added since the last call are sorted
   * among themselves and merged in, linear in the catalog, rather than sorting everything again. The array
   * returned is never changed afterwards.
   */
  all(): readonly PluginRecord[] {
    if (this.sorted === undefined) {
      this.sorted = [...this.byKey.values()].sort(byKey);
    } else if (this.unsorted.length > 0) {
      this.sorted = merge(this.sorted, this.unsorted.sort(byKey));
    } else {
      return this.sorted;
    }
    this.unsorted = [];
    this.ranked = undefined;
    return this.sorted;
  }

  /** A record's position in key order. */
  rank(record: PluginRecord): number {
    return this.ranks().get(record.index);
  }

  /**
   * Every record's position in key order, by record index. Made when first asked for after a change
   * (most plans never need it): one pass over every record, which at 100,000 plugins is a cost of its own.
   */
  ranks(): NumbersByIndex {
    const sorted = this.all();
    if (this.ranked !== sorted) {
      const { ranksByIndex } = this;
      for (let i = 0; i < sorted.length; i++) ranksByIndex.set(sorted[i].index, i);
      this.ranked = sorted;
    }
    return this.ranksByIndex;
  }

  get size(): number {
    return this.byKey.size;
  }

  hasKey(key: string): boolean {
    return this.byKey.has(key);
  }

  keysNamed(name: string): readonly string[] {
    if (this.keysByName === undefined) {
      const keysByName = new Map<string, string[]>();
      for (const record of this.byKey.values()) addName(keysByName, record);
      this.keysByName = keysByName;
    }
    return this.keysByName.get(name) ?? [];
  }

  /** A catalog with the same records, that can grow without changing this one. */
  copy(): PluginCatalog {
    const copy = new PluginCatalog();
    for (const record of this.byKey.values()) copy.add(record);
    return copy;
  }
}

function addName(keysByName: Map<string, string[]>, record: PluginRecord): void {
  const keys = keysByName.get(record.name);
  if (keys === undefined) keysByName.set(record.name, [record.key]);
  else keys.push(record.key);
}

function byKey(a: PluginRecord, b: PluginRecord): number {
  return compare(a.key, b.key);
}

/**
 * Two arrays sorted by key, as one. Each record of `right` (usually a few new ones) finds its place in
 * `left` by binary search, so the records of `left` in between are copied without being read: at 100,000
 * plugins, reading every key to merge in one new plugin cost more than the copy.
 */
function merge(left: readonly PluginRecord[], right: readonly PluginRecord[]): PluginRecord[] {
  const merged = new Array<PluginRecord>(left.length + right.length);
  let l = 0;
  let m = 0;
  for (const record of right) {
    // The first record of `left` from `l` on with a key above this one's: equal keys from `left` go first.
    let low = l;
    let high = left.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (left[mid].key <= record.key) low = mid + 1;
      else high = mid;
    }
    while (l < low) merged[m++] = left[l++];
    merged[m++] = record;
  }
  while (l < left.length) merged[m++] = left[l++];
  return merged;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
