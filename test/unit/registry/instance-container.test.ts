import 'reflect-metadata';
import { Container, inject, injectable, postConstruct } from 'inversify';
import { InstanceContainer } from '../../../src/registry/instance-container';
import type { PluginRecord } from '../../../src/lifecycle/plugin-life';
import { needsInjection } from '../../../src/ordering/injected-plugins';
import { PluginType } from '../../../src';

function record(key: string): PluginRecord {
  return { key, type: PluginType.Compute, name: key, source: 'registered', index: 0, life: { state: 'starting' } };
}

const TOKEN = Symbol('token');

class Plain {
  startup(): void {}
}

@injectable()
class Injected {
  constructor(@inject(TOKEN) readonly token: string) {}
}

@injectable()
class Constructed {
  ready = false;
  @postConstruct()
  init(): void {
    this.ready = true;
  }
}

@injectable('Singleton')
class DeclaredSingleton {}

@injectable('Singleton')
class InjectedSingleton {
  constructor(@inject(TOKEN) readonly token: string) {}
}

function setup() {
  const parent = new Container();
  parent.bind(TOKEN).toConstantValue('from the application');
  const seen: { hook: string; key: string; instance: unknown }[] = [];
  const instances = new InstanceContainer(() => parent, {
    activated: (rec, instance) => {
      seen.push({ hook: 'activated', key: rec.key, instance });
      return Promise.resolve(instance);
    },
    deactivated: (rec, instance) => {
      seen.push({ hook: 'deactivated', key: rec.key, instance });
    },
  });
  return { instances, seen };
}

describe('needsInjection', () => {
  it.each([
    ['a class Inversify knows nothing about', Plain, false],
    ['a class with an injected constructor parameter', Injected, true],
    ['a class with a @postConstruct method', Constructed, true],
    ['an @injectable class with nothing to inject', DeclaredSingleton, false],
    ['not a class', 42, false],
  ])('%s', (_what, cls, expected) => {
    expect(needsInjection(cls)).toBe(expected);
  });
});

describe('InstanceContainer', () => {
  it('builds a plain class afresh on every start, and its activation hook sees the record being built', async () => {
    const { instances, seen } = setup();
    const a = record('a');
    const b = record('b');
    const [first, other] = await Promise.all([
      instances.build(a, { cls: Plain }, undefined),
      instances.build(b, { cls: Plain }, undefined),
    ]);
    const second = await instances.build(a, { cls: DeclaredSingleton }, undefined);
    const third = await instances.build(a, { cls: DeclaredSingleton }, undefined);
    expect(first).toBeInstanceOf(Plain);
    expect(first).not.toBe(other);
    expect(second).not.toBe(third);
    expect(seen.map(({ key, instance }) => [key, instance])).toEqual([
      ['a', first],
      ['b', other],
      ['a', second],
      ['a', third],
    ]);
  });

  it('builds a class that injects through its own binding, with what the application bound', async () => {
    const { instances, seen } = setup();
    const built = (await instances.build(record('x'), { cls: Injected }, undefined)) as Injected;
    expect(built.token).toBe('from the application');
    const constructed = (await instances.build(record('y'), { cls: Constructed }, undefined)) as Constructed;
    expect(constructed.ready).toBe(true);
    expect(seen.map(({ key }) => key)).toEqual(['x', 'y']);
  });

  it('builds a fresh instance on every start even when the class declares itself a singleton', async () => {
    const { instances } = setup();
    const rec = record('s');
    const first = (await instances.build(rec, { cls: InjectedSingleton }, undefined)) as InjectedSingleton;
    const second = (await instances.build(rec, { cls: InjectedSingleton }, undefined)) as InjectedSingleton;
    expect(first.token).toBe('from the application');
    expect(second).not.toBe(first);
  });

  it('hands a ready-made instance to the activation hook as it is', async () => {
    const { instances, seen } = setup();
    const ready = { ready: true };
    await expect(instances.build(record('r'), { instance: ready }, undefined)).resolves.toBe(ready);
    expect(seen).toEqual([{ hook: 'activated', key: 'r', instance: ready }]);
  });

  it('releases the instances of one turn through one binding, each resolving once its own shutdown began', async () => {
    const parent = new Container();
    const seen: string[] = [];
    let finishOne!: () => void;
    const oneStopped = new Promise<void>((resolve) => (finishOne = resolve));
    const instances = new InstanceContainer(() => parent, {
      activated: (_record, instance) => instance,
      deactivated: (rec) => {
        seen.push(rec.key);
        return rec.key === 'one' ? oneStopped : undefined;
      },
    });
    const internals = instances as unknown as { freeReleaseIds: symbol[]; own?: Container };
    // Both resolve although the shutdown of `one` is still running.
    await Promise.all([instances.release(record('one'), { n: 1 }), instances.release(record('two'), { n: 2 })]);
    expect(seen).toEqual(['one', 'two']);
    expect(internals.freeReleaseIds).toEqual([]);
    finishOne();
    await until(() => internals.freeReleaseIds.length === 1);
    const [id] = internals.freeReleaseIds;
    expect(internals.own?.isCurrentBound(id)).toBe(false);
    // A later turn reuses the id.
    await instances.release(record('three'), { n: 3 });
    await until(() => internals.freeReleaseIds.length === 1);
    expect(internals.freeReleaseIds).toEqual([id]);
    expect(seen).toEqual(['one', 'two', 'three']);
  });

  it('settles releases the deactivation hook did not reach with the container’s error', async () => {
    const failure = new Error('deactivation failed');
    const instances = new InstanceContainer(() => new Container(), {
      activated: (_record, instance) => instance,
      deactivated: (rec) => {
        if (rec.key === 'first') throw failure;
      },
    });
    const results = await Promise.allSettled([
      instances.release(record('first'), {}),
      instances.release(record('second'), {}),
    ]);
    expect(results).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
  });
});

describe('InstanceContainer.constructing', () => {
  it('is true while a plugin’s injections resolve, and false while its activation hook runs', async () => {
    const parent = new Container();
    const seen: string[] = [];
    parent.bind(TOKEN).toDynamicValue(() => {
      seen.push(`injecting: ${instances.constructing}`);
      return 'token';
    });
    const instances = new InstanceContainer(() => parent, {
      activated: (_record, instance) => {
        seen.push(`activated: ${instances.constructing}`);
        return instance;
      },
      deactivated: () => undefined,
    });
    await instances.build(record('x'), { cls: Injected }, undefined);
    expect(seen).toEqual(['injecting: true', 'activated: false']);
    expect(instances.constructing).toBe(false);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}
