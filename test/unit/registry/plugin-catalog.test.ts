import fc from 'fast-check';
import type { PluginRecord } from '../../../src/lifecycle/plugin-life';
import { PluginType } from '../../../src/plugin-type';
import { PluginCatalog } from '../../../src/registry/plugin-catalog';

function record(name: string, index: number, type: PluginType = PluginType.Compute): PluginRecord {
  return { key: `${type}:${name}`, type, name, source: 'registered', index, life: { state: 'loaded' } };
}

describe('PluginCatalog', () => {
  it('keeps every record in key order, with its rank, however records arrive between reads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/), { maxLength: 12 }), { maxLength: 6 }),
        (batches) => {
          const catalog = new PluginCatalog();
          const seen = new Set<string>();
          let index = 0;
          for (const batch of batches) {
            for (const name of batch) {
              if (seen.has(name)) continue;
              seen.add(name);
              catalog.add(record(name, index++));
            }
            const all = catalog.all();
            const keys = all.map((r) => r.key);
            expect(keys).toEqual([...keys].sort());
            expect(keys).toHaveLength(seen.size);
            all.forEach((r, position) => expect(catalog.rank(r)).toBe(position));
          }
        },
      ),
    );
  });

  it('merges new records before, between and after the known ones, and never changes an array it returned', () => {
    const catalog = new PluginCatalog();
    ['d', 'h', 'm'].forEach((name, i) => catalog.add(record(name, i)));
    const before = catalog.all();
    ['a', 'e', 'f', 'z'].forEach((name, i) => catalog.add(record(name, 3 + i)));
    const after = catalog.all();
    expect(after.map((r) => r.name)).toEqual(['a', 'd', 'e', 'f', 'h', 'm', 'z']);
    expect(before.map((r) => r.name)).toEqual(['d', 'h', 'm']);
    expect(catalog.all()).toBe(after);
    expect(after.map((r) => catalog.rank(r))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(catalog.ranks().get(after[0].index)).toBe(0);
  });
});
