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
  for (const [name, deps] of Object.entries(plugins)) {
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
  }
  // What references mean: a new object when they change (as a new default would).
  let basis = {};
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
    definitionOf: (record) => (loaded.has(record) ? { dependsOn: dependsOn.get(record) ?? [] } : undefined),
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
  return { planner, record, finishLoad, loads, redefine };
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
});
