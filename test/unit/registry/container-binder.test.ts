import 'reflect-metadata';
import { Container } from 'inversify';
import { PluginType } from '../../../src';
import type { PluginRecord, PluginState } from '../../../src/lifecycle/plugin-life';
import { ContainerBinder } from '../../../src/registry/container-binder';
import { RegistryState } from '../../../src/registry/registry-state';
import { rejection, thrown } from '../../support/caught';

function setup(state: PluginState, constructing: boolean) {
  const registry = new RegistryState({});
  const record: PluginRecord = {
    key: 'floe.computes:duckdb',
    type: PluginType.Compute,
    name: 'duckdb',
    source: 'registered',
    index: 0,
    life: { state, instance: state === 'active' ? { live: true } : undefined },
  };
  registry.catalog.add(record);
  const start = jest.fn(async () => ({ started: true }));
  const binder = new ContainerBinder(undefined, registry, start, () => constructing);
  return { binder, start, record, registry };
}

function liveRecord(name: string): PluginRecord {
  const key = `${PluginType.Compute}:${name}`;
  return {
    key,
    type: PluginType.Compute,
    name,
    source: 'registered',
    index: 0,
    life: { state: 'active', instance: { live: name } },
  };
}

describe('ContainerBinder', () => {
  it('hands out the live instance, named and as the type’s default', () => {
    const { binder, start } = setup('active', false);
    expect(binder.container.get(PluginType.Compute, { name: 'duckdb' })).toEqual({ live: true });
    expect(binder.container.get(PluginType.Compute)).toEqual({ live: true });
    expect(start).not.toHaveBeenCalled();
  });

  it('answers a named get of a live plugin without resolving its binding, in a container it made', () => {
    const { binder, registry } = setup('active', false);
    const resolved = jest.spyOn(registry.catalog, 'get');
    expect(binder.container.get(PluginType.Compute, { name: 'duckdb' })).toEqual({ live: true });
    expect(resolved).not.toHaveBeenCalled();
    expect(binder.container.get(PluginType.Compute)).toEqual({ live: true });
    expect(resolved).toHaveBeenCalledWith('floe.computes:duckdb');
  });

  it('starts a plugin that is not live for getAsync', async () => {
    const { binder, start } = setup('loaded', false);
    expect(await binder.container.getAsync(PluginType.Compute, { name: 'duckdb' })).toEqual({ started: true });
    expect(start).toHaveBeenCalledWith(PluginType.Compute, 'duckdb');
  });

  it('refuses a synchronous get of a plugin that is not live, through a child container too, and starts nothing', () => {
    const { binder, start } = setup('loaded', false);
    const child = new Container({ parent: binder.container });
    expect(thrown(() => binder.container.get(PluginType.Compute, { name: 'duckdb' })).code).toBe('PLUGIN_NOT_LIVE');
    expect(thrown(() => child.get(PluginType.Compute)).code).toBe('PLUGIN_NOT_LIVE');
    expect(start).not.toHaveBeenCalled();
  });

  it('never starts a plugin while another is being constructed: its injections must already be live', async () => {
    const { binder, start } = setup('loaded', true);
    const error = await rejection(binder.container.getAsync(PluginType.Compute, { name: 'duckdb' }));
    expect(error.code).toBe('PLUGIN_NOT_LIVE');
    expect(error.message).toContain('being built');
    expect(start).not.toHaveBeenCalled();
  });

  it('binds a plugin added after the container was made, and undoes what a restore undoes', () => {
    const { binder, registry } = setup('active', false);
    const container = binder.container;
    const sentinel = binder.snapshot();
    const later: PluginRecord = { ...liveRecord('spark'), index: 1 };
    registry.catalog.add(later);
    binder.added(later);
    expect(container.get(PluginType.Compute, { name: 'spark' })).toEqual({ live: 'spark' });
    binder.restore(sentinel);
    expect(container.isBound(PluginType.Compute, { name: 'spark' })).toBe(false);
    expect(container.isBound(sentinel)).toBe(false);
    expect(container.get(PluginType.Compute, { name: 'duckdb' })).toEqual({ live: true });
  });
});
