import type { PluginRecord } from '../../../src/lifecycle/plugin-life';
import { PluginType } from '../../../src';
import { DependencyPlanner } from '../../../src/registry/dependency-planner';
import { PluginCatalog } from '../../../src/registry/plugin-catalog';
import { deferred } from '../../support/lifecycle-fixtures';

/**
 * A planner over a hand-made catalog whose imports the test settles one by one, so that overlapping
 * plans interleave exactly as written.
 */
function setup(plugins: Record<string, string[]>) {
  const catalog = new PluginCatalog();
  const dependsOn = new Map<PluginRecord, string[]>();
  const loaded = new Set<PluginRecord>();
  const loads = new Map<string, ReturnType<typeof deferred<unknown>>>();
  let index = 0;
  const put = (name: string, deps: string[]): PluginRecord => {
    const record: PluginRecord = {
      key: `${PluginType.Compute}:${name}`,
      type: PluginType.Compute,
      name,
      source: 'discovered',
      index: index++,
      life: { state: 'discovered' },
    };
    catalog.add(record);
    dependsOn.set(record, deps);
    return record;
  };
  for (const [name, deps] of Object.entries(plugins)) put(name, deps);
  // What references mean: a new object when they change (as a new default would).
  let basis = {};
  /** Called when the planner reads a plugin's definition. */
  const hooks: { read?: (record: PluginRecord) => void } = {};
  const planner = new DependencyPlanner({
    catalog: () => catalog,
    basis: () => basis,
    load: (record) => {
      let load = loads.get(record.name);
      if (load === undefined) {
        load = deferred<unknown>();
        loads.set(record.name, load);
        void load.promise.then(() => loaded.add(record));
      }
      return load.promise;
    },
    definitionOf: (record) => {
      if (!loaded.has(record)) return undefined;
      hooks.read?.(record);
      return { dependsOn: dependsOn.get(record) ?? [] };
    },
    defaultOf: () => undefined,
  });
  const record = (name: string) => catalog.find(PluginType.Compute, name) as PluginRecord;
  /** Lets the import of a plugin finish, and everything waiting on it run. */
  const finishLoad = async (name: string) => {
    loads.get(name)?.resolve(undefined);
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  /** Makes a plugin depend on other plugins from now on, as a changed default would. */
  const redefine = (name: string, deps: string[]) => {
    dependsOn.set(record(name), deps);
    basis = {};
  };
  /** Adds a plugin, as a registration or a refresh would, and tells the planner. */
  const add = (name: string, deps: string[]) => {
    const added = put(name, deps);
    planner.added(added);
    return added;
  };
  return { planner, catalog, dependsOn, record, finishLoad, loads, redefine, add, hooks };
}

const names = (order: readonly PluginRecord[]) => order.map((record) => record.name);

describe('DependencyPlanner', () => {
  it('gives each of two overlapping plans its own walk, so neither repeats a plugin', async () => {
    const { planner, record, finishLoad, loads } = setup({ a: ['b', 'c'], b: ['c'], c: [] });
    const first = planner.plan([record('a')], 'throw');
    await finishLoad('a');
    expect([...loads.keys()].sort()).toEqual(['a', 'b', 'c']);
    // The second plan starts while the first waits for b and c, and reaches c again.
    const second = planner.plan([record('c')], 'throw');
    await finishLoad('b');
    await finishLoad('c');
    expect(names((await first).order)).toEqual(['c', 'b', 'a']);
    expect(names((await second).order)).toEqual(['c']);
  });

  it('walks again when a dependency a plugin was missing is added while classes are imported', async () => {
    // a depends on b, which is not there when the walk passes a (a refresh took it out to put in its new
    // version); b comes back before the plan is ordered, and must be in it, before a.
    const { planner, record, finishLoad, add, hooks } = setup({ a: ['floe.computes:b'], c: ['floe.computes:a'] });
    const plan = planner.plan([record('c')], 'collect');
    await finishLoad('c');
    // b comes back right after the walk read a (finding b missing), before the plan goes on.
    hooks.read = (read) => {
      if (read.name !== 'a') return;
      hooks.read = undefined;
      queueMicrotask(() => add('b', []));
    };
    await finishLoad('a');
    await finishLoad('b');
    expect(names((await plan).order)).toEqual(['b', 'a', 'c']);
  });

  it('plans every plugin in key order when given the whole catalog', async () => {
    const { planner, record, finishLoad } = setup({ a: ['c'], b: [], c: [] });
    const all = planner.plan([record('a'), record('b'), record('c')], 'throw');
    for (const name of ['a', 'b', 'c']) await finishLoad(name);
    expect(names((await all).order)).toEqual(['b', 'c', 'a']);
  });

  it('walks again when what a reference means changes while classes are imported', async () => {
    const { planner, record, finishLoad, redefine } = setup({ a: ['b'], b: [], c: [] });
    const plan = planner.plan([record('a')], 'throw');
    await finishLoad('a');
    // While b is imported for a, a's dependency becomes c instead (a default changed).
    redefine('a', ['c']);
    await finishLoad('b');
    await finishLoad('c');
    expect(names((await plan).order)).toEqual(['c', 'a']);
  });

  describe('the order of every plugin', () => {
    async function loadedSetup(plugins: Record<string, string[]>) {
      const fixture = setup(plugins);
      const first = fixture.planner.plan(fixture.catalog.all(), 'throw');
      for (const name of Object.keys(plugins)) await fixture.finishLoad(name);
      await first;
      return fixture;
    }

    it('is kept while the catalog, what references mean and every resolution stay as they were', async () => {
      const { planner, catalog } = await loadedSetup({ a: ['c'], b: [], c: [] });
      const made = await planner.plan(catalog.all(), 'throw');
      const again = await planner.plan(catalog.all(), 'throw');
      expect(names(again.order)).toEqual(['b', 'c', 'a']);
      expect(again.order).toBe(made.order);
      expect(again.loadFailures.size).toBe(0);
    });

    it('is not kept when it was made while classes were imported', async () => {
      const { planner, catalog, finishLoad } = setup({ a: ['c'], b: [], c: [] });
      const importing = planner.plan(catalog.all(), 'throw');
      for (const name of ['a', 'b', 'c']) await finishLoad(name);
      const first = await importing;
      const second = await planner.plan(catalog.all(), 'throw');
      expect(names(second.order)).toEqual(['b', 'c', 'a']);
      expect(second.order).not.toBe(first.order);
      expect((await planner.plan(catalog.all(), 'throw')).order).toBe(second.order);
    });

    it('is made again when a plugin is added', async () => {
      const fixture = await loadedSetup({ a: ['c'], b: [], c: [] });
      await fixture.planner.plan(fixture.catalog.all(), 'throw');
      fixture.add('d', ['a']);
      const plan = fixture.planner.plan(fixture.catalog.all(), 'throw');
      await fixture.finishLoad('d');
      expect(names((await plan).order)).toEqual(['b', 'c', 'a', 'd']);
    });

    it('is made again when what a reference means changes', async () => {
      const { planner, catalog, redefine } = await loadedSetup({ a: ['c'], b: [], c: [] });
      const before = await planner.plan(catalog.all(), 'throw');
      redefine('b', ['a']);
      expect(names((await planner.plan(catalog.all(), 'throw')).order)).toEqual(['c', 'a', 'b']);
      expect(names(before.order)).toEqual(['b', 'c', 'a']);
    });

    it('is made again when the planner forgets a resolution it was made from', async () => {
      const { planner, catalog, dependsOn, record } = await loadedSetup({ a: ['c'], b: [], c: [] });
      await planner.plan(catalog.all(), 'throw');
      // a named c by its bare name: a plugin answering to "c" makes the planner resolve a again.
      dependsOn.set(record('a'), []);
      planner.added(record('c'));
      expect(names((await planner.plan(catalog.all(), 'throw')).order)).toEqual(['a', 'b', 'c']);
    });
  });
});
