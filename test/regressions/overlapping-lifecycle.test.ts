import { inject, injectable, named } from 'inversify';
import {
  createSilentLogger,
  FloePlugin,
  getRegistry,
  PluginConfigurationError,
  PluginMetadata,
  PluginRegistry,
  PluginStartupError,
  PluginType,
  resetRegistry,
  type PluginRegistryOptions,
} from '../../src';
import { rejection, thrown } from '../support/caught';
import { deferred, forever, Journal, until, type Behaviour } from '../support/lifecycle-fixtures';
import { IsInt } from 'class-validator';

const { Compute, Catalog, Secrets, Storage } = PluginType;

function setup(plugins: [PluginType, string, Behaviour?][], options: PluginRegistryOptions = {}) {
  const journal = new Journal();
  const registry = new PluginRegistry({
    rootDir: '/nonexistent',
    logger: createSilentLogger(),
    timeouts: { startupMs: 2000, shutdownMs: 2000, healthMs: 500 },
    ...options,
  });
  for (const [type, name, behaviour] of plugins) registry.register(journal.plugin(type, name, behaviour));
  return { registry, journal };
}

/** Counts how often each instance's shutdown ran. */
function shutdownsPerInstance(journal: Journal, key: string): number[] {
  return (journal.instances.get(key) ?? []).map((instance) => journal.stopsOf.get(instance as object) ?? 0);
}

describe('shutdownAll while a start is in flight', () => {
  it('aborts the startup signal, waits for it, stops the instance once, and fails the start with PLUGIN_START_CANCELLED', async () => {
    const gate = deferred();
    const { registry, journal } = setup([[Secrets, 'vault', { startup: () => gate.promise }]]);
    const starting = registry.get(Secrets, 'vault');
    await until(() => journal.of('start').length === 1);
    expect(registry.info(Secrets, 'vault').state).toBe('starting');

    const stopping = registry.shutdownAll();
    const signal = journal.signals.get('startup:floe.secrets:vault') as AbortSignal;
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toMatchObject({ code: 'PLUGIN_START_CANCELLED' });
    gate.resolve(); // the startup ignores its signal and completes

    const report = await stopping;
    expect(report).toEqual({ ok: true, stopped: ['floe.secrets:vault'], failed: [] });
    expect((await rejection(starting)).code).toBe('PLUGIN_START_CANCELLED');
    expect(journal.of('stopped')).toEqual(['floe.secrets:vault']);
    expect(shutdownsPerInstance(journal, 'floe.secrets:vault')).toEqual([1]);
    expect(registry.info(Secrets, 'vault').state).toBe('stopped');
  });

  it('does not stop an instance whose startup failed after the abort', async () => {
    const { registry, journal } = setup([
      [
        Secrets,
        'vault',
        {
          startup: (signal) =>
            new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        },
      ],
    ]);
    const starting = registry.startAll();
    await until(() => journal.of('start').length === 1);
    expect(await registry.shutdownAll()).toEqual({ ok: true, stopped: [], failed: [] });
    const report = await starting;
    expect(report.ok).toBe(false);
    expect(report.started).toEqual([]);
    expect(report.failed.map(({ key, error }) => [key, (error as { code: string }).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_START_CANCELLED'],
    ]);
    expect(journal.of('stop')).toEqual([]);
    expect(registry.info(Secrets, 'vault').state).toBe('stopped');
  });

  it('cancels the starts startAll has not reached yet, and skips what depends on the cancelled one', async () => {
    const gate = deferred();
    const { registry, journal } = setup([
      [Secrets, 'vault', { startup: () => gate.promise }],
      [Catalog, 'polaris', { dependsOn: ['vault'] }],
      [Storage, 'other'],
    ]);
    const starting = registry.startAll();
    await until(() => journal.of('start').includes('floe.secrets:vault'));
    const stopping = registry.shutdownAll();
    gate.resolve();
    const [startup, shutdown] = await Promise.all([starting, stopping]);
    expect(startup.started).toEqual([]);
    expect(startup.failed.map((f) => f.key)).toEqual(['floe.secrets:vault']);
    expect(startup.skipped).toEqual([{ key: 'floe.catalogs:polaris', blockedBy: 'floe.secrets:vault' }]);
    expect(journal.of('start')).not.toContain('floe.catalogs:polaris');
    // `other` went live before the shutdown began, so the shutdown stopped it.
    expect(shutdown.stopped.sort()).toEqual(['floe.secrets:vault', 'floe.storage:other']);
    for (const key of ['floe.secrets:vault', 'floe.storage:other'])
      expect(shutdownsPerInstance(journal, key)).toEqual([1]);
  });

  it('fails a start still being built at once, without waiting for its timeout', async () => {
    const slowDependency = deferred<string>();
    class NeedsSlowService extends PluginMetadata {
      constructor(@inject('slow-service') readonly service: string) {
        super();
      }
    }
    FloePlugin({ type: Compute, name: 'building', version: '1.0.0', apiVersion: '1.0' })(NeedsSlowService);
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    registry.container.bind('slow-service').toDynamicValue(() => slowDependency.promise);
    registry.register(NeedsSlowService);
    const starting = registry.get(Compute, 'building');
    await until(() => registry.info(Compute, 'building').state === 'starting');
    await registry.shutdownAll();
    expect((await rejection(starting)).code).toBe('PLUGIN_START_CANCELLED');
    slowDependency.resolve('late');
  });
});

describe('restore and resetRegistry while a start is in flight', () => {
  it('restore cancels the start, stops the instance once its startup completes, and forgets the plugin', async () => {
    const gate = deferred();
    const { registry, journal } = setup([]);
    registry.snapshot();
    registry.register(journal.plugin(Secrets, 'vault', { startup: () => gate.promise }));
    const starting = registry.get(Secrets, 'vault');
    await until(() => journal.of('start').length === 1);
    const restoring = registry.restore();
    gate.resolve();
    await restoring;
    expect((await rejection(starting)).code).toBe('PLUGIN_START_CANCELLED');
    expect(shutdownsPerInstance(journal, 'floe.secrets:vault')).toEqual([1]);
    expect(registry.listAll()[Secrets]).toEqual([]);
  });

  it('resetRegistry cancels a start of the shared registry and stops it once', async () => {
    const gate = deferred();
    const journal = new Journal();
    const registry = getRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    registry.register(journal.plugin(Secrets, 'vault', { startup: () => gate.promise }));
    const starting = registry.get(Secrets, 'vault');
    await until(() => journal.of('start').length === 1);
    const resetting = resetRegistry();
    gate.resolve();
    await resetting;
    expect((await rejection(starting)).code).toBe('PLUGIN_START_CANCELLED');
    expect(shutdownsPerInstance(journal, 'floe.secrets:vault')).toEqual([1]);
  });
});

describe('overlapping shutdownAll calls', () => {
  it('join one shutdown: each hook runs once, and each plugin is reported stopped by one call', async () => {
    const gate = deferred();
    const { registry, journal } = setup([
      [Secrets, 'vault', { shutdown: () => gate.promise }],
      [Catalog, 'polaris', { dependsOn: ['vault'] }],
    ]);
    await registry.startAll();
    const first = registry.shutdownAll();
    const second = registry.shutdownAll();
    expect(registry.info(Secrets, 'vault').state).toBe('stopping');
    gate.resolve();
    const reports = await Promise.all([first, second]);
    expect(reports[0]).toEqual({ ok: true, stopped: ['floe.catalogs:polaris', 'floe.secrets:vault'], failed: [] });
    expect(reports[1]).toEqual({ ok: true, stopped: [], failed: [] });
    expect(journal.of('stop')).toEqual(['floe.catalogs:polaris', 'floe.secrets:vault']);
  });

  it('share a failure, so every caller sees that the shutdown was not clean', async () => {
    const { registry } = setup([[Secrets, 'vault', { shutdown: () => Promise.reject(new Error('sealed')) }]]);
    await registry.get(Secrets, 'vault');
    const [first, second] = await Promise.all([registry.shutdownAll(), registry.shutdownAll()]);
    expect(first.ok).toBe(false);
    expect(second.ok).toBe(false);
    expect(second.stopped).toEqual([]);
    expect(second.failed.map((f) => f.key)).toEqual(['floe.secrets:vault']);
  });
});

describe('starts during a shutdown', () => {
  it('startAll waits for the shutdown, then starts fresh instances and reports what is live', async () => {
    const gate = deferred();
    const { registry, journal } = setup([[Secrets, 'vault', { shutdown: () => gate.promise }]]);
    const first = await registry.get(Secrets, 'vault');
    const stopping = registry.shutdownAll();
    const starting = registry.startAll();
    await until(() => journal.of('stop').length === 1);
    expect(journal.of('start')).toEqual(['floe.secrets:vault']);
    gate.resolve();
    await stopping;
    const report = await starting;
    expect(report.started).toEqual(['floe.secrets:vault']);
    expect(registry.info(Secrets, 'vault').state).toBe('active');
    const second = await registry.get(Secrets, 'vault');
    expect(second).not.toBe(first);
    expect(journal.instances.get('floe.secrets:vault')).toEqual([first, second]);
  });

  it('get never hands out the instance being shut down: it waits and returns a fresh one', async () => {
    const gate = deferred();
    const { registry, journal } = setup([[Secrets, 'vault', { shutdown: () => gate.promise }]]);
    const first = await registry.get(Secrets, 'vault');
    const stopping = registry.shutdownAll();
    expect(registry.info(Secrets, 'vault').state).toBe('stopping');
    const next = registry.get(Secrets, 'vault');
    gate.resolve();
    await stopping;
    const second = await next;
    expect(second).not.toBe(first);
    expect(journal.of('stopped')).toEqual(['floe.secrets:vault']);
    expect(registry.info(Secrets, 'vault').state).toBe('active');
  });
});

class Threads {
  @IsInt() threads = 1;
}

describe('configure racing a start', () => {
  function configured(startup: Promise<void> = Promise.resolve()) {
    const journal = new Journal();
    let built: Threads | undefined;
    class Engine extends PluginMetadata {
      constructor(@inject(Threads) config: Threads) {
        super();
        built = config;
      }
      override startup() {
        return startup;
      }
    }
    FloePlugin({ type: Compute, name: 'engine', version: '1.0.0', apiVersion: '1.0', configSchema: Threads })(Engine);
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    registry.register(Engine);
    return { registry, journal, builtWith: () => built };
  }

  it('builds the plugin with the configuration asked for before the start, not its defaults', async () => {
    const { registry, builtWith } = configured();
    const configuring = registry.configure(Compute, 'engine', { threads: 8 });
    const starting = registry.get(Compute, 'engine');
    expect(await configuring).toEqual({ threads: 8 });
    await starting;
    expect(builtWith()).toEqual({ threads: 8 });
    expect(registry.getConfig(Compute, 'engine')).toEqual({ threads: 8 });
  });

  it('refuses a configure asked for once the start began, when it is called, and keeps the config used', async () => {
    const gate = deferred();
    const { registry, builtWith } = configured(gate.promise);
    const starting = registry.get(Compute, 'engine');
    await until(() => builtWith() !== undefined);
    expect(registry.info(Compute, 'engine').state).toBe('starting');
    const refused = registry.configure(Compute, 'engine', { threads: 8 });
    gate.resolve();
    await starting;
    expect((await rejection(refused)).code).toBe('PLUGIN_ALREADY_ACTIVE');
    expect(builtWith()).toEqual({ threads: 1 });
    expect(registry.getConfig(Compute, 'engine')).toEqual({ threads: 1 });
  });

  it('refuses configure and applyConfig on a stopping plugin', async () => {
    const gate = deferred();
    const { registry } = setup([[Secrets, 'vault', { shutdown: () => gate.promise }]]);
    await registry.get(Secrets, 'vault');
    const stopping = registry.shutdownAll();
    expect((await rejection(registry.configure(Secrets, 'vault', {}))).code).toBe('PLUGIN_ALREADY_ACTIVE');
    const applied = await rejection(
      registry.applyConfig({ defaults: {}, plugins: { 'floe.secrets:vault': {} }, locations: {} }),
    );
    expect(applied).toMatchObject({
      code: 'PLATFORM_CONFIG_INVALID',
      errors: [{ pluginKey: 'floe.secrets:vault', error: expect.objectContaining({ code: 'PLUGIN_ALREADY_ACTIVE' }) }],
    });
    gate.resolve();
    await stopping;
  });

  it('refuses settings for a plugin without schema unless they are empty', async () => {
    const { registry } = setup([[Secrets, 'vault']]);
    const error = await rejection<PluginConfigurationError>(registry.configure(Secrets, 'vault', { token: 'x' }));
    expect(error).toBeInstanceOf(PluginConfigurationError);
    expect(error.errors.map((e) => e.constraint)).toEqual(['noConfigSchema']);
    expect(await registry.configure(Secrets, 'vault', {})).toBeUndefined();
  });
});

describe('a synchronous container.get of a plugin that is not live', () => {
  @injectable()
  class Report {
    constructor(@inject(Secrets) @named('vault') readonly secrets: unknown) {}
  }

  it('throws PLUGIN_NOT_LIVE and starts nothing', async () => {
    const { registry, journal } = setup([[Secrets, 'vault']]);
    registry.container.bind(Report).toSelf();
    const direct = thrown(() => registry.container.get(Secrets, { name: 'vault' }));
    expect(direct.code).toBe('PLUGIN_NOT_LIVE');
    expect(direct.message).toContain('getAsync');
    expect(direct.message).toContain('startAll');
    expect(thrown(() => registry.container.get(Report)).code).toBe('PLUGIN_NOT_LIVE');
    await new Promise((resolve) => setImmediate(resolve));
    expect(journal.of('start')).toEqual([]);
    expect(registry.info(Secrets, 'vault').state).toBe('loaded');
  });

  it('works once the plugin is live, and getAsync starts it on demand', async () => {
    const { registry } = setup([[Secrets, 'vault']]);
    registry.container.bind(Report).toSelf();
    const report = await registry.container.getAsync(Report);
    expect(report.secrets).toBe(await registry.get(Secrets, 'vault'));
    expect(registry.container.get(Report).secrets).toBe(report.secrets);
  });
});

describe('a failing start', () => {
  it('always rejects with a PluginStartupError carrying the plugin key and the cause', async () => {
    const cause = new Error('boom');
    const { registry } = setup([[Secrets, 'vault', { startup: () => Promise.reject(cause) }]]);
    const error = await rejection<PluginStartupError>(registry.get(Secrets, 'vault'));
    expect(error).toBeInstanceOf(PluginStartupError);
    expect(error.pluginKey).toBe('floe.secrets:vault');
    expect(error.cause).toBe(cause);
  });

  it('reports a hung startup as a timeout and leaves nothing starting', async () => {
    const { registry } = setup([[Secrets, 'vault', { startup: () => forever() }]], { timeouts: { startupMs: 30 } });
    const error = await rejection<PluginStartupError>(registry.get(Secrets, 'vault'));
    expect(error).toBeInstanceOf(PluginStartupError);
    expect(error.cause).toMatchObject({ code: 'PLUGIN_TIMEOUT', phase: 'startup' });
    expect(registry.info(Secrets, 'vault').state).toBe('failed');
  });
});
