import {
  createSilentLogger,
  FloePlugin,
  PluginMetadata,
  HealthState,
  PluginRegistry,
  type PluginShutdownError,
  PluginStartupError,
  PluginTimeoutError,
  PluginType,
  type PluginRegistryOptions,
} from '../../src';
import { deferred, forever, Journal, sleep, until, type Behaviour } from '../support/lifecycle-fixtures';
import { memoryLogger } from '../support/memory-logger';
import { rejection } from '../support/caught';

const { Compute, Catalog, Secrets, Storage, Identity, Orchestrator } = PluginType;

function setup(plugins: [PluginType, string, Behaviour?][], options: PluginRegistryOptions = {}) {
  const journal = new Journal();
  const registry = new PluginRegistry({
    rootDir: '/nonexistent',
    logger: createSilentLogger(),
    timeouts: { startupMs: 200, shutdownMs: 200, healthMs: 100 },
    ...options,
  });
  for (const [type, name, behaviour] of plugins) registry.register(journal.plugin(type, name, behaviour));
  return { registry, journal };
}

describe('startup', () => {
  it('starts dependencies first and each plugin once under concurrent get', async () => {
    const { registry, journal } = setup([
      [Compute, 'duckdb', { dependsOn: ['polaris'] }],
      [Catalog, 'polaris', { dependsOn: ['vault'], startup: () => sleep(5) }],
      [Secrets, 'vault'],
    ]);
    const results = await Promise.all([
      registry.get(Compute, 'duckdb'),
      registry.get(Compute, 'duckdb'),
      registry.get(Catalog, 'polaris'),
    ]);
    expect(results[0]).toBe(results[1]);
    expect(journal.of('start')).toEqual(['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb']);
    expect(journal.of('started')).toEqual(journal.of('start'));
  });

  it('starts a plugin as soon as its own dependencies are up, without waiting for a slow unrelated one', async () => {
    const slow = deferred();
    const { registry, journal } = setup([
      [Storage, 'slow', { startup: () => slow.promise }],
      [Secrets, 'vault'],
      [Catalog, 'polaris', { dependsOn: ['vault'] }],
      [Compute, 'duckdb', { dependsOn: ['polaris'] }],
    ]);
    const run = registry.startAll();
    await until(() => journal.of('started').includes('floe.computes:duckdb'));
    expect(journal.of('started')).not.toContain('floe.storage:slow');
    slow.resolve();
    const report = await run;
    expect(report.ok).toBe(true);
    expect(report.started).toEqual([
      'floe.secrets:vault',
      'floe.catalogs:polaris',
      'floe.computes:duckdb',
      'floe.storage:slow',
    ]);
  });

  it('starts independent plugins concurrently', async () => {
    const gate = deferred();
    const { registry, journal } = setup([
      [Compute, 'a', { startup: () => gate.promise }],
      [Catalog, 'b', { startup: () => gate.promise }],
      [Storage, 'c', { startup: () => gate.promise }],
    ]);
    const run = registry.startAll();
    await until(() => journal.of('start').length === 3);
    expect(journal.of('started')).toEqual([]);
    gate.resolve();
    expect((await run).started).toHaveLength(3);
  });

  it('reports a throwing startup, skips what depends on it, directly or not, and starts the rest', async () => {
    const { registry, journal } = setup([
      [Secrets, 'vault', { startup: () => Promise.reject(new Error('vault sealed')) }],
      [Catalog, 'polaris', { dependsOn: ['vault'] }],
      [Compute, 'duckdb', { dependsOn: ['polaris'] }],
      [Storage, 's3'],
      [Identity, 'oidc', { dependsOn: ['s3'] }],
    ]);
    const report = await registry.startAll();
    expect(report.ok).toBe(false);
    expect(report.started).toEqual(['floe.storage:s3', 'floe.identity:oidc']);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0].key).toBe('floe.secrets:vault');
    expect(report.failed[0].error).toBeInstanceOf(PluginStartupError);
    expect(((report.failed[0].error as PluginStartupError).cause as Error).message).toBe('vault sealed');
    expect(report.skipped).toEqual([
      { key: 'floe.catalogs:polaris', blockedBy: 'floe.secrets:vault' },
      { key: 'floe.computes:duckdb', blockedBy: 'floe.secrets:vault' },
    ]);
    expect(journal.of('start')).not.toContain('floe.catalogs:polaris');
    expect(registry.info(Secrets, 'vault').state).toBe('failed');
    expect(registry.info(Catalog, 'polaris').state).toBe('loaded');
  });

  it('rejects get with the failing dependency’s own error', async () => {
    const { registry } = setup([
      [Secrets, 'vault', { startup: () => Promise.reject(new Error('sealed')) }],
      [Catalog, 'polaris', { dependsOn: ['vault'] }],
    ]);
    const error = await rejection(registry.get(Catalog, 'polaris'));
    expect(error).toMatchObject({ code: 'PLUGIN_STARTUP_FAILED', pluginKey: 'floe.secrets:vault' });
  });

  it('times out a startup that ignores its signal, aborting the signal, without waiting for it', async () => {
    const { registry, journal } = setup(
      [
        [Compute, 'stuck', { startup: () => forever() }],
        [Catalog, 'fine'],
      ],
      {
        timeouts: { startupMs: 50 },
      },
    );
    const report = await registry.startAll();
    expect(report.started).toEqual(['floe.catalogs:fine']);
    const error = report.failed[0].error as PluginStartupError;
    expect(error.code).toBe('PLUGIN_STARTUP_FAILED');
    expect(error.cause).toBeInstanceOf(PluginTimeoutError);
    expect(error.cause).toMatchObject({ pluginKey: 'floe.computes:stuck', phase: 'startup', timeoutMs: 50 });
    const signal = journal.signals.get('startup:floe.computes:stuck') as AbortSignal;
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(error.cause);
  });

  it('passes every hook its real signal, through wrappers and to hooks whose source declares no parameter', async () => {
    const received: Record<string, unknown[]> = {};
    // A method decorator's usual wrapper: it declares no parameter but forwards what it gets.
    const traced = (_target: object, _name: string, descriptor: PropertyDescriptor) => {
      const original = descriptor.value as (...args: unknown[]) => unknown;
      descriptor.value = function (this: unknown, ...args: unknown[]) {
        return original.apply(this, args);
      };
    };
    @FloePlugin({ type: Compute, name: 'wrapped', version: '1.0.0', apiVersion: '1.0' })
    class Wrapped extends PluginMetadata {
      @traced
      override async startup(signal: AbortSignal) {
        received.wrapped = [signal];
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      }
    }
    @FloePlugin({ type: Catalog, name: 'bare', version: '1.0.0', apiVersion: '1.0' })
    class Bare extends PluginMetadata {
      override async startup() {
        // eslint-disable-next-line prefer-rest-params -- what the hook was called with is the point
        received.bare = [...arguments];
      }
    }
    @FloePlugin({ type: Storage, name: 'silent', version: '1.0.0', apiVersion: '1.0' })
    class Silent extends PluginMetadata {}
    // Its source reads no argument at all; its own `call` shows what the hook is called with.
    Object.defineProperty(Silent.prototype, 'startup', {
      value: Object.assign(async function () {}, {
        call: (_self: unknown, ...args: unknown[]) => (received.silent = args),
      }),
    });
    const registry = new PluginRegistry({
      rootDir: '/nonexistent',
      logger: createSilentLogger(),
      timeouts: { startupMs: 50 },
    });
    for (const cls of [Wrapped, Bare, Silent]) registry.register(cls);
    const report = await registry.startAll();
    expect(report.started.sort()).toEqual(['floe.catalogs:bare', 'floe.storage:silent']);
    expect(report.failed.map(({ key, error }) => [key, (error as PluginStartupError).cause])).toEqual([
      ['floe.computes:wrapped', expect.any(PluginTimeoutError)],
    ]);
    const [signal] = received.wrapped as [AbortSignal];
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.reason).toBe((report.failed[0].error as PluginStartupError).cause);
    expect(received.bare).toEqual([expect.any(AbortSignal)]);
    expect(received.silent).toEqual([expect.any(AbortSignal)]);
    await registry.shutdownAll();
  });

  it('logs a startup timeout with the plugin, its elapsed time and the plugins waiting on it', async () => {
    const { logger, entries } = memoryLogger();
    const { registry } = setup(
      [
        [Secrets, 'vault', { startup: () => forever() }],
        [Catalog, 'polaris', { dependsOn: ['vault'] }],
        [Compute, 'duckdb', { dependsOn: ['polaris'] }],
      ],
      { timeouts: { startupMs: 30 }, logger },
    );
    await registry.startAll();
    const line = entries.find((entry) => entry.event === 'plugin.startup_timeout');
    expect(line).toMatchObject({
      plugin: 'floe.secrets:vault',
      waiting: ['floe.catalogs:polaris', 'floe.computes:duckdb'],
    });
    expect(line?.durationMs).toEqual(expect.any(Number));
    expect(String(line?.message)).toMatch(
      /floe\.secrets:vault timed out starting after \d+ ms; waiting on it: floe\.catalogs:polaris, floe\.computes:duckdb/,
    );
  });

  it('shuts down a startup that finishes after its timeout', async () => {
    const late = deferred();
    const { registry, journal } = setup([[Compute, 'late', { startup: () => late.promise }]], {
      timeouts: { startupMs: 30 },
    });
    const error = await rejection(registry.get(Compute, 'late'));
    expect(error.code).toBe('PLUGIN_STARTUP_FAILED');
    late.resolve();
    await until(() => journal.of('stopped').includes('floe.computes:late'));
    expect(journal.of('stop')).toEqual(['floe.computes:late']);
    expect(registry.info(Compute, 'late').state).toBe('failed');
  });

  it('tries again with a fresh instance after a failed startup', async () => {
    let attempts = 0;
    const { registry, journal } = setup([
      [
        Compute,
        'flaky',
        {
          startup: () => {
            if (++attempts === 1) throw new Error('first try fails');
          },
        },
      ],
    ]);
    await rejection(registry.get(Compute, 'flaky'));
    const plugin = await registry.get(Compute, 'flaky');
    expect(journal.instances.get('floe.computes:flaky')).toHaveLength(2);
    expect(journal.instances.get('floe.computes:flaky')?.[1]).toBe(plugin);
  });

  it('reports per-plugin timings and the critical path', async () => {
    const { registry } = setup([
      [Secrets, 'vault', { startup: () => sleep(20) }],
      [Catalog, 'polaris', { dependsOn: ['vault'], startup: () => sleep(20) }],
      [Storage, 'quick'],
    ]);
    const report = await registry.startAll();
    expect(report.criticalPath).toEqual(['floe.secrets:vault', 'floe.catalogs:polaris']);
    expect(Object.keys(report.timings).sort()).toEqual([
      'floe.catalogs:polaris',
      'floe.secrets:vault',
      'floe.storage:quick',
    ]);
    const polaris = report.timings['floe.catalogs:polaris'];
    expect(polaris.startedAt).toBeGreaterThanOrEqual(report.timings['floe.secrets:vault'].endedAt);
    expect(polaris.durationMs).toBe(polaris.endedAt - polaris.startedAt);
    expect(report.durationMs).toBeGreaterThanOrEqual(polaris.endedAt);
    // Every timing lies within the run, measured from its start.
    for (const timing of Object.values(report.timings)) {
      expect(timing.startedAt).toBeGreaterThanOrEqual(0);
      expect(timing.endedAt).toBeGreaterThanOrEqual(timing.startedAt);
      expect(timing.endedAt).toBeLessThanOrEqual(report.durationMs);
    }
    expect(polaris.durationMs).toBeGreaterThanOrEqual(15);
  });

  it('starts only the given plugins and what they depend on', async () => {
    const { registry, journal } = setup([
      [Compute, 'duckdb', { dependsOn: ['vault'] }],
      [Secrets, 'vault'],
      [Storage, 'other'],
    ]);
    const report = await registry.startAll(['floe.computes:duckdb']);
    expect(report.started).toEqual(['floe.secrets:vault', 'floe.computes:duckdb']);
    expect(journal.of('start')).not.toContain('floe.storage:other');
  });

  it('lists plugins live before the run first in started', async () => {
    const { registry } = setup([
      [Compute, 'duckdb'],
      [Secrets, 'vault'],
    ]);
    await registry.get(Secrets, 'vault');
    const report = await registry.startAll();
    expect(report.started).toEqual(['floe.secrets:vault', 'floe.computes:duckdb']);
    expect(Object.keys(report.timings)).toEqual(['floe.computes:duckdb']);
  });
});

describe('shutdown', () => {
  it('stops plugins in reverse dependency order', async () => {
    const { registry, journal } = setup([
      [Secrets, 'vault'],
      [Catalog, 'polaris', { dependsOn: ['vault'] }],
      [Compute, 'duckdb', { dependsOn: ['polaris'] }],
      [Storage, 's3', { dependsOn: ['vault'] }],
      [Orchestrator, 'dagster', { dependsOn: ['duckdb', 's3'] }],
    ]);
    await registry.startAll();
    const report = await registry.shutdownAll();
    expect(report.ok).toBe(true);
    const stopped = journal.of('stopped');
    const before = (a: string, b: string) => expect(stopped.indexOf(a)).toBeLessThan(stopped.indexOf(b));
    before('floe.orchestrators:dagster', 'floe.computes:duckdb');
    before('floe.orchestrators:dagster', 'floe.storage:s3');
    before('floe.computes:duckdb', 'floe.catalogs:polaris');
    before('floe.catalogs:polaris', 'floe.secrets:vault');
    before('floe.storage:s3', 'floe.secrets:vault');
    expect(journal.of('stop')[0]).toBe('floe.orchestrators:dagster');
    expect(report.stopped).toEqual(stopped);
  });

  it('waits for every dependent to stop before stopping a plugin, stopping independent ones together', async () => {
    const gate = deferred();
    const { registry, journal } = setup([
      [Secrets, 'vault'],
      [Catalog, 'a', { dependsOn: ['vault'], shutdown: () => gate.promise }],
      [Compute, 'b', { dependsOn: ['vault'] }],
    ]);
    await registry.startAll();
    const run = registry.shutdownAll();
    await until(() => journal.of('stopped').includes('floe.computes:b'));
    expect(journal.of('stop')).toEqual(['floe.catalogs:a', 'floe.computes:b']);
    gate.resolve();
    await run;
    expect(journal.of('stop')).toEqual(['floe.catalogs:a', 'floe.computes:b', 'floe.secrets:vault']);
  });

  it('collects throwing and hanging shutdowns and still stops every other plugin', async () => {
    const { registry, journal } = setup(
      [
        [Secrets, 'vault'],
        [Catalog, 'thrower', { dependsOn: ['vault'], shutdown: () => Promise.reject(new Error('cannot close')) }],
        [Compute, 'hanger', { dependsOn: ['vault'], shutdown: () => forever() }],
        [Storage, 'fine'],
      ],
      { timeouts: { shutdownMs: 40 } },
    );
    await registry.startAll();
    const report = await registry.shutdownAll();
    expect(report.ok).toBe(false);
    expect(report.stopped.sort()).toEqual(['floe.secrets:vault', 'floe.storage:fine']);
    const failures = Object.fromEntries(report.failed.map(({ key, error }) => [key, error as PluginShutdownError]));
    expect(failures['floe.catalogs:thrower']).toMatchObject({
      code: 'PLUGIN_SHUTDOWN_FAILED',
      pluginKey: 'floe.catalogs:thrower',
    });
    expect((failures['floe.catalogs:thrower'].cause as Error).message).toBe('cannot close');
    expect(failures['floe.computes:hanger'].cause).toMatchObject({
      code: 'PLUGIN_TIMEOUT',
      phase: 'shutdown',
      timeoutMs: 40,
    });
    expect(journal.signals.get('shutdown:floe.computes:hanger')?.aborted).toBe(true);
    for (const name of ['thrower', 'fine'])
      expect(registry.list(name === 'fine' ? Storage : Catalog)[0].state).toBe('stopped');
  });

  it('reports a shutdown that finishes or fails after its timeout once, as a timeout, and nothing more', async () => {
    const lateStop = deferred();
    const lateFail = deferred();
    const { registry, journal } = setup(
      [
        [Secrets, 'late', { shutdown: () => lateStop.promise }],
        [Catalog, 'failing-late', { shutdown: () => lateFail.promise }],
      ],
      { timeouts: { shutdownMs: 30 } },
    );
    await registry.startAll();
    const report = await registry.shutdownAll();
    expect(report.failed.map((f) => [f.key, (f.error as PluginShutdownError).cause]).sort()).toEqual([
      ['floe.catalogs:failing-late', expect.objectContaining({ code: 'PLUGIN_TIMEOUT' })],
      ['floe.secrets:late', expect.objectContaining({ code: 'PLUGIN_TIMEOUT' })],
    ]);
    lateStop.resolve();
    lateFail.reject(new Error('gave up late'));
    await until(() => journal.of('stopped').includes('floe.secrets:late'));
    expect(registry.info(Secrets, 'late').state).toBe('stopped');
    expect(await registry.shutdownAll()).toEqual({ ok: true, stopped: [], failed: [] });
  });

  it('stops nothing on a second call', async () => {
    const { registry, journal } = setup([[Secrets, 'vault']]);
    await registry.startAll();
    await registry.shutdownAll();
    expect(await registry.shutdownAll()).toEqual({ ok: true, stopped: [], failed: [] });
    expect(journal.of('stop')).toEqual(['floe.secrets:vault']);
  });

  it('starts fresh instances after a shutdown, through get and startAll', async () => {
    const { registry, journal } = setup([
      [Secrets, 'vault'],
      [Compute, 'duckdb'],
    ]);
    const first = await registry.get(Secrets, 'vault');
    await registry.shutdownAll();
    expect(registry.info(Secrets, 'vault').state).toBe('stopped');
    const second = await registry.get(Secrets, 'vault');
    expect(second).not.toBe(first);
    await registry.shutdownAll();
    const report = await registry.startAll();
    expect(report.started).toEqual(['floe.computes:duckdb', 'floe.secrets:vault']);
    expect(journal.instances.get('floe.secrets:vault')).toHaveLength(3);
  });

  it('keeps its plugins when the application unbinds its container, and stops them once in shutdownAll', async () => {
    const { registry, journal } = setup([[Secrets, 'vault']]);
    await registry.get(Secrets, 'vault');
    await registry.container.unbindAllAsync();
    expect(journal.of('stop')).toEqual([]);
    expect(registry.info(Secrets, 'vault').state).toBe('active');
    expect(await registry.shutdownAll()).toEqual({ ok: true, stopped: ['floe.secrets:vault'], failed: [] });
    expect(journal.of('stopped')).toEqual(['floe.secrets:vault']);
  });
});

describe('health', () => {
  it('checks every live plugin: default, returned, throwing, malformed, hanging', async () => {
    const { registry } = setup([
      [Compute, 'default'],
      [
        Catalog,
        'degraded',
        { health: () => ({ state: HealthState.Degraded, message: 'slow', details: { latencyMs: 900 } }) },
      ],
      [Secrets, 'thrower', { health: () => Promise.reject(new TypeError('no route')) }],
      [Storage, 'undefined', { health: () => undefined }],
      [Identity, 'string', { health: () => 'ok' }],
      [Orchestrator, 'hanger', { health: () => forever() }],
      [PluginType.DBT, 'not-live'],
    ]);
    await registry.startAll([
      'floe.computes:default',
      'floe.catalogs:degraded',
      'floe.secrets:thrower',
      'floe.storage:undefined',
      'floe.identity:string',
      'floe.orchestrators:hanger',
    ]);
    const health = await registry.healthCheckAll();
    expect(Object.keys(health).sort()).toEqual([
      'floe.catalogs:degraded',
      'floe.computes:default',
      'floe.identity:string',
      'floe.orchestrators:hanger',
      'floe.secrets:thrower',
      'floe.storage:undefined',
    ]);
    expect(health['floe.computes:default']).toEqual({ state: HealthState.Healthy, message: '', details: {} });
    expect(health['floe.catalogs:degraded']).toEqual({
      state: HealthState.Degraded,
      message: 'slow',
      details: { latencyMs: 900 },
    });
    expect(health['floe.secrets:thrower']).toMatchObject({
      state: HealthState.Unhealthy,
      message: 'no route',
      details: { exceptionType: 'TypeError' },
    });
    expect(health['floe.storage:undefined'].state).toBe(HealthState.Unhealthy);
    expect(health['floe.identity:string'].state).toBe(HealthState.Unhealthy);
    expect(health['floe.orchestrators:hanger']).toMatchObject({
      state: HealthState.Unhealthy,
      details: { exceptionType: 'PluginTimeoutError' },
    });
    expect(health['floe.orchestrators:hanger'].message).toContain('timed out');
  });

  it('answers within one timeout however many checks hang, aborting their signals', async () => {
    const plugins: [PluginType, string, Behaviour][] = Array.from({ length: 20 }, (_, i) => [
      Compute,
      `hang${i}`,
      { health: () => forever() },
    ]);
    const { registry, journal } = setup(plugins, { timeouts: { healthMs: 50 } });
    await registry.startAll();
    const began = performance.now();
    const health = await registry.healthCheckAll();
    // Generous bound: sequential checks would take 20 x 50 ms.
    expect(performance.now() - began).toBeLessThan(20 * 50);
    expect(Object.values(health).every((status) => status.state === HealthState.Unhealthy)).toBe(true);
    expect(journal.signals.get('health:floe.computes:hang7')?.aborted).toBe(true);
  });

  it('ignores a health check that answers after its timeout, and runs a fresh check next time', async () => {
    const late = deferred<unknown>();
    let calls = 0;
    const { registry, journal } = setup(
      [
        [
          Compute,
          'late',
          {
            health: () =>
              ++calls === 1 ? late.promise : { state: HealthState.Degraded, message: 'second', details: {} },
          },
        ],
      ],
      { timeouts: { healthMs: 30 } },
    );
    await registry.startAll();
    const first = await registry.healthCheckAll();
    expect(first['floe.computes:late']).toMatchObject({ state: HealthState.Unhealthy });
    expect(first['floe.computes:late'].message).toContain('timed out');
    const firstSignal = journal.signals.get('health:floe.computes:late') as AbortSignal;
    expect(firstSignal.aborted).toBe(true);
    late.resolve({ state: HealthState.Healthy, message: 'finally', details: {} });
    const second = await registry.healthCheckAll();
    expect(calls).toBe(2);
    expect(second['floe.computes:late']).toEqual({ state: HealthState.Degraded, message: 'second', details: {} });
    expect(journal.signals.get('health:floe.computes:late')).not.toBe(firstSignal);
  });

  it('is empty when nothing is live', async () => {
    const { registry } = setup([[Compute, 'idle']]);
    expect(await registry.healthCheckAll()).toEqual({});
  });
});
