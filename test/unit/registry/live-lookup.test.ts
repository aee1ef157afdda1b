import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { FloePlugin, PluginMetadata, PluginRegistry, PluginType, createSilentLogger } from '../../../src';
import {
  asOwnChange,
  enableLiveLookup,
  inSynchronousResolution,
  trackSynchronousResolution,
} from '../../../src/registry/synchronous-resolution';
import { thrown } from '../../support/caught';

// A container whose binding of compute "duckdb" gives `bound`, while its live lookup gives `live`: which one a
// get returns tells which way it went.
function shortcut() {
  const container = new Container();
  trackSynchronousResolution(container);
  const bound = { via: 'inversify' };
  const live = { via: 'live lookup' };
  container.bind(PluginType.Compute).toConstantValue(bound).whenNamed('duckdb');
  container.bind(PluginType.Compute).toConstantValue(bound).whenNamed('spark');
  const lookup = jest.fn((type: unknown, name: unknown) =>
    type === PluginType.Compute && name === 'duckdb' ? live : undefined,
  );
  enableLiveLookup(container, lookup);
  const get = () => container.get(PluginType.Compute, { name: 'duckdb' });
  return { container, bound, live, lookup, get };
}

describe('the live lookup of a container the registry made', () => {
  it('answers get(type, { name }) itself, and leaves everything else to Inversify', () => {
    const { container, bound, live, lookup, get } = shortcut();
    expect(get()).toBe(live);
    expect(lookup).toHaveBeenCalledWith(PluginType.Compute, 'duckdb');
    // Not found by the lookup (say, not live): Inversify's binding answers.
    expect(container.get(PluginType.Compute, { name: 'spark' })).toBe(bound);
    // A tag, or a child container: Inversify.
    expect(container.get(PluginType.Compute, { name: 'duckdb', tag: { key: 'k', value: 1 } })).toBe(bound);
    const child = new Container({ parent: container });
    expect(child.get(PluginType.Compute, { name: 'duckdb' })).toBe(bound);
    // No name: not asked at all.
    lookup.mockClear();
    container.get(PluginType.Compute, { name: 'spark', optional: true });
    container.get(PluginType.Compute, { optional: true } as { name?: string; optional: true });
    expect(lookup.mock.calls).toEqual([[PluginType.Compute, 'spark']]);
  });

  it('wraps a container class once, however many containers are tracked', () => {
    trackSynchronousResolution(new Container());
    const get = Container.prototype.get;
    const getAll = Container.prototype.getAll;
    trackSynchronousResolution(new Container());
    trackSynchronousResolution(new Container({ parent: new Container() }));
    expect(Container.prototype.get).toBe(get);
    expect(Container.prototype.getAll).toBe(getAll);
  });

  it('counts a synchronous get or getAll that goes through Inversify, and not a get it answers itself', () => {
    const { container, lookup, get } = shortcut();
    lookup.mockImplementation(() => ({ via: `counted: ${inSynchronousResolution()}` }));
    expect(get()).toEqual({ via: 'counted: false' });
    const seen: boolean[] = [];
    container
      .bind('probe')
      .toDynamicValue(() => seen.push(inSynchronousResolution()))
      .inTransientScope();
    container.get('probe');
    container.getAll('probe');
    expect(seen).toEqual([true, true]);
    expect(inSynchronousResolution()).toBe(false);
  });

  it('ends for good at the first outside change that could alter the answer', async () => {
    const module = new ContainerModule(() => undefined);
    const changes: [string, (c: Container) => unknown][] = [
      ['bind of a plugin type', (c) => c.bind(PluginType.Compute).toConstantValue({}).whenNamed('other')],
      ['rebind of a plugin type', (c) => c.rebind(PluginType.Catalog)],
      ['rebindAsync of a plugin type', (c) => c.rebindAsync(PluginType.Catalog)],
      ['unbind of a plugin type', (c) => c.unbind(PluginType.Compute)],
      ['unbindAsync of a plugin type', (c) => c.unbindAsync(PluginType.Compute)],
      ['unbind by binding id', (c) => c.unbind(c.bind('mine').toConstantValue(1).getIdentifier())],
      ['unbindAll', (c) => c.unbindAll()],
      ['unbindAllAsync', (c) => c.unbindAllAsync()],
      ['onActivation of a plugin type', (c) => c.onActivation(PluginType.Compute, (_ctx, x) => x)],
      ['load of a module', (c) => c.load(module)],
      ['loadAsync of a module', (c) => c.loadAsync(module)],
      ['unload of a module', (c) => c.unload(module)],
      ['unloadAsync of a module', (c) => c.unloadAsync(module)],
      ['an Inversify plugin', (c) => c.register(class {} as never)],
      ['restore', (c) => (c.snapshot(), c.restore())],
    ];
    for (const [what, change] of changes) {
      const { container, bound, live, get } = shortcut();
      expect(get()).toBe(live);
      try {
        await change(container);
      } catch {
        // Inversify may refuse the change itself (an unknown module, a class that is no plugin of its own).
      }
      let answer: unknown;
      try {
        answer = get();
      } catch {
        answer = 'inversify refused';
      }
      expect({ what, short: answer === live }).toEqual({ what, short: false });
      if (what === 'bind of a plugin type' || what === 'onActivation of a plugin type') expect(answer).toBe(bound);
    }
  });

  it('is kept by changes that cannot alter it, and by the registry’s own', () => {
    const { container, live, get } = shortcut();
    container.bind('my-service').toConstantValue(1);
    container.bind(Symbol('token')).toConstantValue(2);
    container.unbind('my-service');
    container.rebind('my-service');
    // Methods stay replaceable, as on any container (spies, instrumentation).
    const spy = jest.spyOn(container, 'bind');
    container.bind('spied');
    expect(spy).toHaveBeenCalledWith('spied');
    spy.mockRestore();
    container.onActivation('other', (_ctx, x) => x);
    container.snapshot();
    asOwnChange(() => {
      container.bind(PluginType.Compute).toConstantValue({}).whenNamed('mine');
      container.restore();
    });
    expect(get()).toBe(live);
  });
});

describe('get of a live plugin through the registry’s container', () => {
  @FloePlugin({ type: PluginType.Compute, name: 'duckdb', version: '1.0.0', apiVersion: '1.0' })
  class DuckDB extends PluginMetadata {}
  @FloePlugin({ type: PluginType.Compute, name: 'spark', version: '1.0.0', apiVersion: '1.0' })
  class Spark extends PluginMetadata {}

  async function live() {
    const registry = new PluginRegistry({ logger: createSilentLogger() });
    registry.register(DuckDB);
    const instance = await registry.get(PluginType.Compute, 'duckdb');
    return { registry, instance };
  }

  it('gives the live instance, and PLUGIN_NOT_LIVE once it is stopped', async () => {
    const { registry, instance } = await live();
    expect(registry.container.get(PluginType.Compute, { name: 'duckdb' })).toBe(instance);
    await registry.shutdownAll();
    expect(thrown(() => registry.container.get(PluginType.Compute, { name: 'duckdb' })).code).toBe('PLUGIN_NOT_LIVE');
  });

  it('honours an application’s own activation of a plugin type', async () => {
    const { registry, instance } = await live();
    registry.container.get(PluginType.Compute, { name: 'duckdb' });
    registry.container.onActivation(PluginType.Compute, (_ctx, plugin) => ({ wrapped: plugin }));
    expect(registry.container.get(PluginType.Compute, { name: 'duckdb' })).toEqual({ wrapped: instance });
    await registry.shutdownAll();
  });

  it('never short-cuts a container it was given: its parent’s activations apply', async () => {
    const parent = new Container();
    parent.onActivation(PluginType.Compute, (_ctx, plugin) => ({ wrapped: plugin }));
    const registry = new PluginRegistry({ logger: createSilentLogger(), container: new Container({ parent }) });
    registry.register(DuckDB);
    const instance = await registry.get(PluginType.Compute, 'duckdb');
    expect(registry.container.get(PluginType.Compute, { name: 'duckdb' })).toEqual({ wrapped: instance });
    await registry.shutdownAll();
  });

  it('keeps giving the live instance across the registry’s snapshots and restores', async () => {
    const { registry, instance } = await live();
    registry.snapshot();
    registry.register(Spark);
    await registry.restore();
    expect(registry.list(PluginType.Compute).map((plugin) => plugin.name)).toEqual(['duckdb']);
    expect(registry.container.get(PluginType.Compute, { name: 'duckdb' })).toBe(instance);
    await registry.shutdownAll();
  });
});
