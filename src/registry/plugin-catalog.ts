import type { PluginRecord } from '../lifecycle/plugin-life';
import type { PluginIndex } from '../ordering/dependency-references';
import { PLUGIN_TYPES, type PluginType } from '../plugin-type';

/** Every plugin the registry knows, by key, by type and name, and by bare name. */
export class PluginCatalog implements PluginIndex {
  private readonly byKey = new Map<string, PluginRecord>();
  private readonly byType = new Map<PluginType, Map<string, PluginRecord>>(
    PLUGIN_TYPES.map((type) => [type, new Map()]),
  );
  private readonly keysByName = new Map<string, string[]>();
  private sorted?: readonly PluginRecord[];
  /** Each record's position in key order, by record index; valid while `sorted` is. */
  private ranks: number[] = [];

  add(record: PluginRecord): void {
    this.sorted = undefined;
    this.byKey.set(record.key, record);
    (this.byType.get(record.type) as Map<string, PluginRecord>).set(record.name, record);
    const keys = this.keysByName.get(record.name);
    if (keys === undefined) this.keysByName.set(record.name, [record.key]);
    else keys.push(record.key);
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

  /** Every plugin, sorted by key; computed once per change. */
  all(): readonly PluginRecord[] {
    if (this.sorted === undefined) {
      const sorted = [...this.byKey.values()].sort((a, b) => compare(a.key, b.key));
      const ranks: number[] = [];
      for (let i = 0; i < sorted.length; i++) ranks[sorted[i].index] = i;
      this.ranks = ranks;
      this.sorted = sorted;
    }
    return this.sorted;
  }

  /** A record's position in key order. */
  rank(record: PluginRecord): number {
    this.all();
    return this.ranks[record.index];
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
