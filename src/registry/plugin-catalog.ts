import type { PluginRecord } from '../lifecycle/plugin-life';
import type { PluginIndex } from '../ordering/dependency-references';
import { PLUGIN_TYPES, type PluginType } from '../plugin-type';
import { NumbersByIndex } from './by-index';

/** Every plugin the registry knows, by key, by type and name, and by bare name. */
export class PluginCatalog implements PluginIndex {
  private readonly byKey = new Map<string, PluginRecord>();
  private readonly byType = new Map<PluginType, Map<string, PluginRecord>>(
    PLUGIN_TYPES.map((type) => [type, new Map()]),
  );
  private readonly keysByName = new Map<string, string[]>();
  private sorted?: readonly PluginRecord[];
  /** Records added since `sorted` was made, merged into a new sorted array on the next read. */
  private unsorted: PluginRecord[] = [];
  /** Each record's position in key order, by record index; valid while `sorted` is. */
  private readonly ranks = new NumbersByIndex();

  add(record: PluginRecord): void {
    this.byKey.set(record.key, record);
    if (this.sorted !== undefined) this.unsorted.push(record);
    (this.byType.get(record.type) as Map<string, PluginRecord>).set(record.name, record);
    const keys = this.keysByName.get(record.name);
    if (keys === undefined) this.keysByName.set(record.name, [record.key]);
    else keys.push(record.key);
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
    const { sorted, ranks } = this;
    for (let i = 0; i < sorted.length; i++) ranks.set(sorted[i].index, i);
    return sorted;
  }

  /** A record's position in key order. */
  rank(record: PluginRecord): number {
    this.all();
    return this.ranks.get(record.index);
  }

  get size(): number {
    return this.byKey.size;
  }

  hasKey(key: string): boolean {
    return this.byKey.has(key);
  }

  keysNamed(name: string): readonly string[] {
    return this.keysByName.get(name) ?? [];
  }

  /** A catalog with the same records, that can grow without changing this one. */
  copy(): PluginCatalog {
    const copy = new PluginCatalog();
    for (const record of this.byKey.values()) copy.add(record);
    return copy;
  }
}

function byKey(a: PluginRecord, b: PluginRecord): number {
  return compare(a.key, b.key);
}

/** Two arrays sorted by key, as one. */
function merge(left: readonly PluginRecord[], right: readonly PluginRecord[]): PluginRecord[] {
  const merged = new Array<PluginRecord>(left.length + right.length);
  let l = 0;
  let r = 0;
  let m = 0;
  while (l < left.length && r < right.length) merged[m++] = left[l].key <= right[r].key ? left[l++] : right[r++];
  while (l < left.length) merged[m++] = left[l++];
  while (r < right.length) merged[m++] = right[r++];
  return merged;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
