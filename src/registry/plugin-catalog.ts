import type { PluginIndex } from '../ordering/dependency-references';
import { PLUGIN_TYPES, type PluginType } from '../plugin-type';
import { createRecord, type PluginRecord } from './plugin-record';

/** Every plugin the registry knows, by key, by type and name, and by bare name. */
export class PluginCatalog implements PluginIndex {
  private readonly byKey = new Map<string, PluginRecord>();
  private readonly byType = new Map<PluginType, Map<string, PluginRecord>>(
    PLUGIN_TYPES.map((type) => [type, new Map()]),
  );
  private readonly keysByName = new Map<string, string[]>();
  private sorted?: readonly PluginRecord[];
  private changes = 0;

  /** Grows with every plugin added: resolved dependencies are valid for one version. */
  get version(): number {
    return this.changes;
  }

  add(record: PluginRecord): void {
    this.changes++;
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

  /** Every plugin, sorted by key; computed once per version. */
  all(): readonly PluginRecord[] {
    if (this.sorted === undefined) {
      const sorted = [...this.byKey.values()].sort((a, b) => compare(a.key, b.key));
      for (let i = 0; i < sorted.length; i++) sorted[i].rank = i;
      this.sorted = sorted;
    }
    return this.sorted;
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

  /** A copy whose records can change without touching this one's; in-flight work and derived scratch fields (which point into this catalog) are not copied. */
  clone(): PluginCatalog {
    const copy = new PluginCatalog();
    for (const record of this.byKey.values()) {
      copy.add(createRecord(record));
    }
    return copy;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
