import { IsInt } from 'class-validator';
import { Container, inject, injectable, named } from 'inversify';
import {
  createSilentLogger,
  FloePlugin,
  PluginMetadata,
  PluginRegistry,
  PluginType,
  type PluginClass,
  type PluginState,
} from '../../src';
import { createTestRegistry } from '../../src/testing';
import { rejection, thrown } from '../support/caught';
import { deferred, until } from '../support/lifecycle-fixtures';

const { Compute, Catalog, Secrets, Storage } = PluginType;
const meta = { version: '1.0.0', apiVersion: '1.0' };
const LIVE: readonly PluginState[] = ['starting', 'active', 'stopping'];

class Settings {
  @IsInt() n = 1;
}

/** What the plugins of one test did: each instance with the settings it was built with, and its hooks. */
class Trace {
  readonly events: string[] = [];
  readonly built: { key: string; n: number | undefined; instance: object }[] = [];
  readonly started = new Set<object>();
  readonly stops = new Map<object, number>();

  /** The instances of `key`, oldest first. */
  instancesOf(key: string): { n: number | undefined; instance: object }[] {
    return this.built.filter((b) => b.key === key);
  }

  /** Every instance whose startup completed was shut down exactly once. */
  expectEachStartupStoppedOnce(): void {
    expect([...this.started].map((instance) => this.stops.get(instance) ?? 0)).toEqual([...this.started].map(() => 1));
  }
}

interface Hooks {
  dependsOn?: string[];
  startup?: (instance: { settings?: Settings }) => unknown;
  shutdown?: () => unknown;
}

/** A plugin with a `Settings` schema, built through the container with its settings injected. */
function configured(trace: Trace, type: PluginType, name: string, hooks: Hooks = {}): PluginClass {
  const key = `${type}:${name}`;
  @FloePlugin({ ...meta, type, name, dependsOn: hooks.dependsOn ?? [], configSchema: Settings })
  @injectable()
  class Configured extends PluginMetadata {
    constructor(@inject(Settings) readonly settings: Settings) {
      super();
      trace.built.push({ key, n: settings?.n, instance: this });
    }
    override async startup() {
      trace.events.push(`start:${key}`);
      await hooks.startup?.(this);
      trace.started.add(this);
      trace.events.push(`started:${key}`);
    }
    override async shutdown() {
      trace.stops.set(this, (trace.stops.get(this) ?? 0) + 1);
      trace.events.push(`stop:${key}`);
      await hooks.shutdown?.();
    }
  }
  return Configured;
}

function registryWith(...classes: PluginClass[]): PluginRegistry {
  const registry = new PluginRegistry({
    rootDir: '/nonexistent',
    logger: createSilentLogger(),
    timeouts: { startupMs: 2000, shutdownMs: 2000 },
  });
  for (const cls of classes) registry.register(cls);
  return registry;
}

describe('1: shutdownAll while reconfigure restarts a plugin', () => {
  it('cancels the restart: the reconfigure reports it, and the shutdown resolves with nothing live', async () => {
    const trace = new Trace();
    const restarting = deferred();
    const registry = registryWith(
      configured(trace, Secrets, 'vault', { startup: (p) => (p.settings?.n === 2 ? restarting.promise : undefined) }),
    );
    await registry.startAll();
    const reconfiguring = registry.reconfigure(Secrets, 'vault', { n: 2 });
    await until(() => trace.events.filter((e) => e === 'start:floe.secrets:vault').length === 2);

    const stopping = registry.shutdownAll();
    restarting.resolve(); // the restart's startup ignores its signal and completes anyway
    const [shutdown, reconfigure] = await Promise.all([stopping, reconfiguring]);

    expect(registry.info(Secrets, 'vault').state).toBe('stopped');
    expect(shutdown).toEqual({ ok: true, stopped: ['floe.secrets:vault'], failed: [] });
    expect(reconfigure.ok).toBe(false);
    expect(reconfigure.restarted).toEqual([]);
    expect(reconfigure.failed.map(({ key, error }) => [key, (error as { code: string }).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_START_CANCELLED'],
    ]);
    trace.expectEachStartupStoppedOnce();
  });

  it('also when the shutdown begins while the reconfigure is still stopping the plugin', async () => {
    const trace = new Trace();
    const stoppingOld = deferred();
    let stops = 0;
    const registry = registryWith(
      configured(trace, Secrets, 'vault', { shutdown: () => (++stops === 1 ? stoppingOld.promise : undefined) }),
    );
    await registry.startAll();
    const reconfiguring = registry.reconfigure(Secrets, 'vault', { n: 2 });
    await until(() => trace.events.includes('stop:floe.secrets:vault'));

    const stopping = registry.shutdownAll();
    stoppingOld.resolve();
    const [shutdown, reconfigure] = await Promise.all([stopping, reconfiguring]);

    expect(LIVE).not.toContain(registry.info(Secrets, 'vault').state);
    expect(shutdown.ok).toBe(true);
    expect(reconfigure.ok).toBe(false);
    expect(trace.instancesOf('floe.secrets:vault').map((b) => b.n)).toEqual([1]);
    // The new settings are stored: the next start uses them.
    expect(registry.getConfig(Secrets, 'vault')).toEqual({ n: 2 });
    expect(((await registry.get(Secrets, 'vault')) as { settings: Settings }).settings.n).toBe(2);
    await registry.shutdownAll();
    trace.expectEachStartupStoppedOnce();
  });
});

describe('1b: shutdownAll asked for before reconfigure has its turn', () => {
  it('restarts nothing, reports the change cancelled, and keeps the new settings for the next start', async () => {
    const trace = new Trace();
    const registry = registryWith(configured(trace, Secrets, 'vault'), configured(trace, Storage, 's3'));
    await registry.startAll();
    const reconfiguring = registry.reconfigure(Secrets, 'vault', { n: 2 });
    const shutdown = await registry.shutdownAll();
    const reconfigure = await reconfiguring;

    expect(shutdown.ok).toBe(true);
    expect(reconfigure).toMatchObject({ ok: false, restarted: [], rolledBack: false });
    expect(reconfigure.failed.map(({ key, error }) => [key, (error as { code: string }).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_START_CANCELLED'],
    ]);
    expect(String((reconfigure.failed[0].error as Error).message)).toContain(
      'a shutdown or restore was asked for before its restart',
    );
    expect(trace.instancesOf('floe.secrets:vault').map((b) => b.n)).toEqual([1]);
    expect(registry.getConfig(Secrets, 'vault')).toEqual({ n: 2 });
    expect(((await registry.get(Secrets, 'vault')) as { settings: Settings }).settings.n).toBe(2);
    await registry.shutdownAll();
    trace.expectEachStartupStoppedOnce();
  });
});

describe('1c: shutdownAll asked for before a live applyConfig has its turn', () => {
  it('reports cancelled the live plugins whose settings it changes, and only those', async () => {
    const trace = new Trace();
    const registry = registryWith(
      configured(trace, Secrets, 'vault'),
      configured(trace, Storage, 's3'),
      configured(trace, Catalog, 'polaris'),
    );
    await registry.startAll(['floe.secrets:vault', 'floe.storage:s3']);
    const applying = registry.applyConfig(
      {
        defaults: {},
        plugins: { 'floe.secrets:vault': { n: 2 }, 'floe.storage:s3': { n: 1 }, 'floe.catalogs:polaris': { n: 3 } },
        locations: {},
      },
      { live: true },
    );
    const shutdown = await registry.shutdownAll();
    const applied = await applying;

    expect(shutdown.ok).toBe(true);
    expect(applied.ok).toBe(false);
    // s3 keeps the settings it runs with, polaris was not live: nothing to restart for them, nothing cancelled.
    expect(applied.failed.map(({ key, error }) => [key, (error as { code: string }).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_START_CANCELLED'],
    ]);
    expect(registry.getConfig(Secrets, 'vault')).toEqual({ n: 2 });
    expect(registry.getConfig(Catalog, 'polaris')).toEqual({ n: 3 });
    expect(trace.instancesOf('floe.secrets:vault').map((b) => b.n)).toEqual([1]);
    expect(trace.instancesOf('floe.catalogs:polaris')).toEqual([]);
    await registry.shutdownAll();
    trace.expectEachStartupStoppedOnce();
  });
});

describe('2: a dependent of a plugin that reconfigure restarts', () => {
  it('does not start until its dependency is live again', async () => {
    const trace = new Trace();
    const slow = deferred();
    const restarting = deferred();
    const seenAtStart: string[] = [];
    const registry = registryWith(
      configured(trace, Secrets, 'vault', { startup: (p) => (p.settings?.n === 2 ? restarting.promise : undefined) }),
      configured(trace, Storage, 'slow', { startup: () => slow.promise }),
      configured(trace, Catalog, 'polaris', {
        dependsOn: ['vault', 'slow'],
        startup: () => void seenAtStart.push(registry.info(Secrets, 'vault').state),
      }),
    );
    const starting = registry.startAll();
    await until(() => trace.events.includes('started:floe.secrets:vault'));
    await until(() => trace.events.includes('start:floe.storage:slow'));

    const reconfiguring = registry.reconfigure(Secrets, 'vault', { n: 2 });
    slow.resolve(); // polaris could start now, but vault is about to be restarted
    await until(() => trace.events.filter((e) => e === 'start:floe.secrets:vault').length === 2);
    expect(trace.events).not.toContain('start:floe.catalogs:polaris');
    restarting.resolve();

    const [report, reconfigure] = await Promise.all([starting, reconfiguring]);
    expect(seenAtStart).toEqual(['active']);
    expect(reconfigure).toEqual({ ok: true, restarted: ['floe.secrets:vault'], rolledBack: false, failed: [] });
    expect(report.ok).toBe(true);
    // polaris was built after vault's restart, so it holds the new vault.
    expect(trace.events.indexOf('start:floe.catalogs:polaris')).toBeGreaterThan(
      trace.events.lastIndexOf('started:floe.secrets:vault'),
    );
    await registry.shutdownAll();
    trace.expectEachStartupStoppedOnce();
  });
});

describe('3: startAll overlapping a live applyConfig', () => {
  it('reports as applied the settings the live instance was built with', async () => {
    const trace = new Trace();
    const registry = registryWith(configured(trace, Secrets, 'vault'));
    const starting = registry.startAll();
    const applying = registry.applyConfig(
      { defaults: {}, plugins: { 'floe.secrets:vault': { n: 2 } }, locations: {} },
      { live: true },
    );
    const [report, applied] = await Promise.all([starting, applying]);

    expect(report.ok).toBe(true);
    expect(applied.ok).toBe(true);
    expect(applied.applied['floe.secrets:vault']).toEqual({ n: 2 });
    const live = (await registry.get(Secrets, 'vault')) as { settings: Settings };
    expect(live.settings.n).toBe(2);
    expect(registry.getConfig(Secrets, 'vault')).toEqual({ n: 2 });
    await registry.shutdownAll();
    trace.expectEachStartupStoppedOnce();
  });
});

describe('4: snapshot, startAll and restore in one tick', () => {
  it('cancels the start the restore overtook, and what starts afterwards is built with the restored settings', async () => {
    const trace = new Trace();
    const registry = registryWith(configured(trace, Secrets, 'vault'));
    registry.snapshot();
    const starting = registry.startAll();
    const restoring = registry.restore();
    const [report] = await Promise.all([starting, restoring]);

    expect(report.started).toEqual([]);
    expect(report.failed.map(({ key, error }) => [key, (error as { code: string }).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_START_CANCELLED'],
    ]);
    expect(LIVE).not.toContain(registry.info(Secrets, 'vault').state);
    expect(trace.built.every((b) => b.n === 1)).toBe(true);
    // After the restore, a start builds with the restored state's settings: the schema's defaults.
    const live = (await registry.get(Secrets, 'vault')) as { settings: Settings };
    expect(live.settings.n).toBe(1);
    expect(registry.getConfig(Secrets, 'vault')).toEqual({ n: 1 });
    await registry.shutdownAll();
    trace.expectEachStartupStoppedOnce();
  });
});

describe('5: a synchronous get through a child container', () => {
  it('throws PLUGIN_NOT_LIVE and starts nothing, for get, getAll and an injecting service', async () => {
    const trace = new Trace();
    const failing = configured(trace, Compute, 'duckdb', {
      startup: () => {
        throw new Error('no engine');
      },
    });
    const registry = registryWith(failing);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      @injectable()
      class Reports {
        constructor(@inject(Compute) @named('duckdb') readonly compute: unknown) {}
      }
      const child = new Container({ parent: registry.container });
      child.bind(Reports).toSelf();
      const grandchild = new Container({ parent: child });

      expect(thrown(() => child.get(Compute, { name: 'duckdb' })).code).toBe('PLUGIN_NOT_LIVE');
      expect(thrown(() => child.get(Compute)).code).toBe('PLUGIN_NOT_LIVE');
      expect(thrown(() => child.getAll(Compute)).code).toBe('PLUGIN_NOT_LIVE');
      expect(thrown(() => grandchild.get(Reports)).code).toBe('PLUGIN_NOT_LIVE');
      await new Promise((resolve) => setImmediate(resolve));

      expect(trace.built).toEqual([]);
      expect(registry.info(Compute, 'duckdb').state).toBe('loaded');
      expect(unhandled).toEqual([]);
      // getAsync through the child still starts it (and reports its failure to the caller).
      expect((await rejection(child.getAsync(Reports))).code).toBe('PLUGIN_STARTUP_FAILED');
    } finally {
      process.removeListener('unhandledRejection', onUnhandled);
    }
  });
});

describe('6: createTestRegistry with a config', () => {
  const trace = new Trace();
  const Vault = configured(trace, Secrets, 'vault');
  const Env = configured(trace, Secrets, 'env');

  @injectable()
  class NeedsSecrets {
    constructor(@inject(Secrets) readonly secrets: { settings: Settings }) {}
  }

  it('is ready as returned: a snapshot taken at once holds the whole config, settings and defaults', async () => {
    const registry = createTestRegistry({
      plugins: [Vault, Env],
      config: { defaults: { [Secrets]: 'vault' }, plugins: { 'floe.secrets:vault': { n: 7 } } },
    });
    registry.container.bind(NeedsSecrets).toSelf();
    registry.snapshot();

    // A first test: the config holds.
    const first = await registry.container.getAsync(NeedsSecrets);
    expect(first.secrets.settings.n).toBe(7);
    await registry.restore();

    // A second test, after the restore: still the config's settings and its default.
    registry.snapshot();
    expect(registry.getConfig(Secrets, 'vault')).toEqual({ n: 7 });
    const second = await registry.container.getAsync(NeedsSecrets);
    expect(second.secrets.settings.n).toBe(7);
    expect(second.secrets).not.toBe(first.secrets);
    await registry.restore();
    await registry.shutdownAll();
  });

  it('lets a setDefault made after it win over the config’s defaults', async () => {
    const registry = createTestRegistry({
      plugins: [Vault, Env],
      config: { defaults: { [Secrets]: 'vault' }, plugins: {} },
    });
    registry.setDefault(Secrets, 'env');
    registry.container.bind(NeedsSecrets).toSelf();
    const service = await registry.container.getAsync(NeedsSecrets);
    expect(service.secrets).toBe(await registry.get(Secrets, 'env'));
    await registry.shutdownAll();
  });

  it('sees the config’s defaults at once, before anything is awaited', () => {
    const registry = createTestRegistry({
      plugins: [Vault, Env],
      config: { defaults: { [Secrets]: 'env' }, plugins: {} },
    });
    // Resolving the bare type does not report PLUGIN_AMBIGUOUS: the default is already in place.
    expect(thrown(() => registry.container.get(Secrets)).code).toBe('PLUGIN_NOT_LIVE');
  });
});

describe('a default that changes while a startAll is under way', () => {
  it('skips the plugin that injects it when the new default is not live, instead of waiting for it', async () => {
    const trace = new Trace();
    const vaultStarting = deferred();
    @FloePlugin({ ...meta, type: Catalog, name: 'polaris' })
    @injectable()
    class Polaris extends PluginMetadata {
      constructor(@inject(Secrets) readonly secrets: object) {
        super();
      }
    }
    const registry = new PluginRegistry({
      rootDir: '/nonexistent',
      logger: createSilentLogger(),
      defaults: { [Secrets]: 'vault' },
      timeouts: { startupMs: 60_000 },
    });
    registry.register(configured(trace, Secrets, 'vault', { startup: () => vaultStarting.promise }));
    registry.register(configured(trace, Secrets, 'env'));
    registry.register(Polaris);
    const starting = registry.startAll(['floe.catalogs:polaris']);
    await until(() => trace.events.includes('start:floe.secrets:vault'));
    registry.setDefault(Secrets, 'env'); // polaris was planned after vault; now it injects env, which is not live
    // An operation queued meanwhile must not wait for polaris, nor polaris for it.
    const reconfiguring = registry.reconfigure(Secrets, 'env', { n: 3 });
    vaultStarting.resolve();

    const report = await starting;
    expect(report.started).toEqual(['floe.secrets:vault']);
    expect(report.skipped).toEqual([{ key: 'floe.catalogs:polaris', blockedBy: 'floe.secrets:env' }]);
    expect(registry.info(Catalog, 'polaris').state).toBe('loaded');
    expect((await reconfiguring).ok).toBe(true);
    // Asked again, it starts onto the new default.
    const polaris = await registry.get<Polaris>(Catalog, 'polaris');
    expect(polaris.secrets).toBe(await registry.get(Secrets, 'env'));
    await registry.shutdownAll();
  });
});

describe('a live applyConfig rolled back', () => {
  it('also stops what its restart started that was not live before, so nothing runs on settings it undid', async () => {
    const trace = new Trace();
    const failsWith13 = (p: { settings?: Settings }) => {
      if (p.settings?.n === 13) throw new Error('13 does not start');
    };
    @FloePlugin({ ...meta, type: Catalog, name: 'polaris' })
    @injectable()
    class Polaris extends PluginMetadata {
      constructor(@inject(Secrets) readonly secrets: { name: string }) {
        super();
      }
    }
    const registry = new PluginRegistry({
      rootDir: '/nonexistent',
      logger: createSilentLogger(),
      defaults: { [Secrets]: 'vault' },
    });
    registry.register(configured(trace, Secrets, 'vault', { startup: failsWith13 }));
    registry.register(configured(trace, Secrets, 'env'));
    registry.register(Polaris);
    await registry.startAll(['floe.catalogs:polaris']);
    expect(registry.info(Secrets, 'env').state).toBe('loaded');

    // New settings for vault that fail to start, and env as the default: polaris's restart starts env.
    const report = await registry.applyConfig(
      { defaults: { [Secrets]: 'env' }, plugins: { 'floe.secrets:vault': { n: 13 } }, locations: {} },
      { live: true },
    );
    expect([report.ok, report.rolledBack]).toEqual([false, true]);
    expect(trace.events).toContain('started:floe.secrets:env');
    expect(LIVE).not.toContain(registry.info(Secrets, 'env').state);
    expect(registry.getConfig(Secrets, 'vault')).toEqual({ n: 1 });
    const polaris = await registry.get<Polaris>(Catalog, 'polaris');
    expect(polaris.secrets.name).toBe('vault');
    await registry.shutdownAll();
    trace.expectEachStartupStoppedOnce();
  });
});

describe('restarts and the starts around them', () => {
  it('a restart lets a dependent’s start in flight finish, then restarts it too, instead of cancelling it', async () => {
    const trace = new Trace();
    const polarisStarting = deferred();
    const registry = registryWith(
      configured(trace, Secrets, 'vault'),
      configured(trace, Catalog, 'polaris', { dependsOn: ['vault'], startup: () => polarisStarting.promise }),
    );
    const starting = registry.startAll();
    await until(() => trace.events.includes('start:floe.catalogs:polaris'));
    const reconfiguring = registry.reconfigure(Secrets, 'vault', { n: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(trace.events).not.toContain('stop:floe.secrets:vault');
    polarisStarting.resolve();

    const [report, reconfigure] = await Promise.all([starting, reconfiguring]);
    expect(report).toMatchObject({ ok: true, started: ['floe.secrets:vault', 'floe.catalogs:polaris'] });
    expect(reconfigure).toEqual({
      ok: true,
      restarted: ['floe.secrets:vault', 'floe.catalogs:polaris'],
      rolledBack: false,
      failed: [],
    });
    expect(trace.events).toEqual([
      'start:floe.secrets:vault',
      'started:floe.secrets:vault',
      'start:floe.catalogs:polaris',
      'started:floe.catalogs:polaris',
      'stop:floe.catalogs:polaris',
      'stop:floe.secrets:vault',
      'start:floe.secrets:vault',
      'started:floe.secrets:vault',
      'start:floe.catalogs:polaris',
      'started:floe.catalogs:polaris',
    ]);
    await registry.shutdownAll();
    trace.expectEachStartupStoppedOnce();
  });

  it('a start asked for while a restart is queued begins only once the restart is over', async () => {
    const trace = new Trace();
    const slow = deferred();
    const registry = registryWith(
      configured(trace, Secrets, 'vault'),
      configured(trace, Storage, 'slow', { startup: () => slow.promise }),
      configured(trace, Compute, 'duckdb'),
    );
    await registry.get(Secrets, 'vault');
    const slowStarting = registry.get(Storage, 'slow'); // in flight: the restart waits for it
    await until(() => trace.events.includes('start:floe.storage:slow'));
    const reconfiguring = registry.reconfigure(Secrets, 'vault', { n: 5 });
    const duckdb = registry.get(Compute, 'duckdb'); // independent, yet held back until the restart ends
    await new Promise((resolve) => setImmediate(resolve));
    expect(trace.events).not.toContain('start:floe.computes:duckdb');
    slow.resolve();
    await Promise.all([slowStarting, reconfiguring, duckdb]);
    const order = (event: string) => trace.events.indexOf(event);
    expect(order('start:floe.computes:duckdb')).toBeGreaterThan(order('started:floe.secrets:vault'));
    expect(trace.events.filter((e) => e === 'start:floe.secrets:vault')).toHaveLength(2);
    await registry.shutdownAll();
  });

  it('restarts asked for one after another run in that order', async () => {
    const trace = new Trace();
    const slow = deferred();
    const registry = registryWith(
      configured(trace, Secrets, 'vault'),
      configured(trace, Storage, 'slow', { startup: () => slow.promise }),
    );
    await registry.get(Secrets, 'vault');
    const slowStarting = registry.get(Storage, 'slow');
    await until(() => trace.events.includes('start:floe.storage:slow'));
    const reports = [2, 3, 4].map((n) => registry.reconfigure(Secrets, 'vault', { n }));
    slow.resolve();
    await Promise.all([slowStarting, ...reports]);
    expect(trace.instancesOf('floe.secrets:vault').map((b) => b.n)).toEqual([1, 2, 3, 4]);
    expect(registry.getConfig(Secrets, 'vault')).toEqual({ n: 4 });
    await registry.shutdownAll();
  });

  it('a shutdown asked for while restarts are queued runs before them, and they then restart nothing and report it', async () => {
    const trace = new Trace();
    const stopping = deferred();
    let stops = 0;
    const registry = registryWith(
      configured(trace, Secrets, 'vault', { shutdown: () => (++stops === 1 ? stopping.promise : undefined) }),
      configured(trace, Storage, 's3'),
    );
    await registry.startAll();
    const ended: string[] = [];
    const first = registry.reconfigure(Secrets, 'vault', { n: 2 }).then((r) => (ended.push('first restart'), r));
    await until(() => trace.events.includes('stop:floe.secrets:vault'));
    const second = registry.reconfigure(Storage, 's3', { n: 2 }).then((r) => (ended.push('second restart'), r));
    const shutdown = registry.shutdownAll().then((r) => (ended.push('shutdown'), r));
    stopping.resolve();
    const [firstReport, secondReport, shutdownReport] = await Promise.all([first, second, shutdown]);
    expect(ended).toEqual(['first restart', 'shutdown', 'second restart']);
    expect(firstReport.ok).toBe(false);
    // The second restart was asked for while s3 was live: the shutdown cancelled it, and it says so.
    expect(secondReport).toMatchObject({ ok: false, restarted: [], rolledBack: false });
    expect(secondReport.failed.map(({ key, error }) => [key, (error as { code: string }).code])).toEqual([
      ['floe.storage:s3', 'PLUGIN_START_CANCELLED'],
    ]);
    expect(shutdownReport.stopped).toEqual(['floe.storage:s3']);
    expect(registry.getConfig(Storage, 's3')).toEqual({ n: 2 });
    expect(trace.instancesOf('floe.storage:s3').map((b) => b.n)).toEqual([1]);
    trace.expectEachStartupStoppedOnce();
  });
});
