import { IsInt, Min } from 'class-validator';
import { inject, injectable, named } from 'inversify';
import {
  createSilentLogger,
  FloePlugin,
  PluginConfigurationError,
  PluginMetadata,
  PluginRegistry,
  PluginType,
  type PlatformConfig,
} from '../../src';
import { rejection } from '../support/caught';
import { deferred, until } from '../support/lifecycle-fixtures';

const { Compute, Catalog, Secrets, Storage } = PluginType;
const meta = { version: '1.0.0', apiVersion: '1.0' };

class PoolSettings {
  @IsInt() @Min(1) size = 2;
  /** A size the plugin accepts in its schema but cannot start with. */
  @IsInt() failAbove = 100;
}

/** Records every hook in order: `start:name`, `stop:name`. */
const events: string[] = [];
const built: { name: string; size: number }[] = [];

@FloePlugin({ ...meta, type: Secrets, name: 'vault', configSchema: PoolSettings })
class Vault extends PluginMetadata {
  constructor(@inject(PoolSettings) readonly settings: PoolSettings) {
    super();
    built.push({ name: 'vault', size: settings.size });
  }
  override startup() {
    if (this.settings.size > this.settings.failAbove) throw new Error(`pool of ${this.settings.size} is too big`);
    events.push('start:vault');
  }
  override shutdown() {
    events.push('stop:vault');
  }
}

@FloePlugin({ ...meta, type: Catalog, name: 'polaris' })
class Polaris extends PluginMetadata {
  constructor(@inject(Secrets) @named('vault') readonly vault: Vault) {
    super();
  }
  override startup() {
    events.push('start:polaris');
  }
  override shutdown() {
    events.push('stop:polaris');
  }
}

@FloePlugin({ ...meta, type: Compute, name: 'duckdb', dependsOn: ['polaris'] })
class DuckDB extends PluginMetadata {
  override startup() {
    events.push('start:duckdb');
  }
  override shutdown() {
    events.push('stop:duckdb');
  }
}

@FloePlugin({ ...meta, type: Storage, name: 'unrelated', configSchema: PoolSettings })
class Unrelated extends PluginMetadata {
  constructor(@inject(PoolSettings) readonly settings: PoolSettings) {
    super();
  }
  override startup() {
    events.push('start:unrelated');
  }
  override shutdown() {
    events.push('stop:unrelated');
  }
}

@injectable()
class UsesSecrets {
  constructor(@inject(Secrets) readonly secrets: unknown) {}
}

async function live(): Promise<PluginRegistry> {
  const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
  for (const cls of [Vault, Polaris, DuckDB, Unrelated]) registry.register(cls);
  await registry.startAll();
  events.length = 0;
  built.length = 0;
  return registry;
}

/** vault and its live dependents restarted: dependents stopped first, then all started in dependency order. */
const VAULT_RESTARTED = ['stop:duckdb', 'stop:polaris', 'stop:vault', 'start:vault', 'start:polaris', 'start:duckdb'];

function config(plugins: Record<string, unknown>, defaults = {}): PlatformConfig {
  return { defaults, plugins, locations: {} };
}

describe('reconfigure', () => {
  it('restarts the plugin and its live dependents in order with the new settings, and nothing else', async () => {
    const registry = await live();
    const unrelated = await registry.get(Storage, 'unrelated');
    const oldVault = await registry.get<Vault>(Secrets, 'vault');
    const report = await registry.reconfigure(Secrets, 'vault', { size: 8 });
    expect(report).toEqual({
      ok: true,
      restarted: ['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb'],
      rolledBack: false,
      failed: [],
    });
    expect(events).toEqual(VAULT_RESTARTED);
    const vault = await registry.get<Vault>(Secrets, 'vault');
    expect(vault).not.toBe(oldVault);
    expect(vault.settings.size).toBe(8);
    expect((await registry.get<Polaris>(Catalog, 'polaris')).vault).toBe(vault);
    expect(await registry.get(Storage, 'unrelated')).toBe(unrelated);
    expect(registry.getConfig(Secrets, 'vault')).toMatchObject({ size: 8 });
  });

  it('changes nothing when the new settings do not validate', async () => {
    const registry = await live();
    const vault = await registry.get(Secrets, 'vault');
    const error = await rejection<PluginConfigurationError>(registry.reconfigure(Secrets, 'vault', { size: 0 }));
    expect(error).toBeInstanceOf(PluginConfigurationError);
    expect(error.errors.map((e) => e.path)).toEqual(['size']);
    expect(await registry.get(Secrets, 'vault')).toBe(vault);
    expect(events).toEqual([]);
    expect(registry.getConfig(Secrets, 'vault')).toMatchObject({ size: 2 });
  });

  it('rolls back to the old settings when the new ones fail to start', async () => {
    const registry = await live();
    const report = await registry.reconfigure(Secrets, 'vault', { size: 500 });
    expect(report.ok).toBe(false);
    expect(report.rolledBack).toBe(true);
    expect(report.failed.map((f) => [f.key, (f.error as { code: string }).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_STARTUP_FAILED'],
    ]);
    expect(report.restarted).toEqual(['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb']);
    expect(built.map((b) => b.size)).toEqual([500, 2]);
    expect((await registry.get<Vault>(Secrets, 'vault')).settings.size).toBe(2);
    expect(registry.getConfig(Secrets, 'vault')).toMatchObject({ size: 2 });
    // The new settings never got vault up (so its dependents never started with them); the old ones did.
    expect(events).toEqual(VAULT_RESTARTED);
  });

  it('restarts a plugin whose shutdown failed with the new settings, and reports the failure', async () => {
    const registry = await live();
    const oldVault = await registry.get<Vault>(Secrets, 'vault');
    const stuck = new Error('vault would not let go');
    oldVault.shutdown = () => {
      events.push('stop:vault');
      throw stuck;
    };
    const report = await registry.reconfigure(Secrets, 'vault', { size: 8 });
    expect(report.ok).toBe(false);
    expect(report.rolledBack).toBe(false);
    expect(report.failed.map((f) => [f.key, (f.error as { code: string }).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_SHUTDOWN_FAILED'],
    ]);
    expect((report.failed[0].error as Error & { cause?: unknown }).cause).toBe(stuck);
    expect(report.restarted).toEqual(['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb']);
    const vault = await registry.get<Vault>(Secrets, 'vault');
    expect(vault).not.toBe(oldVault);
    expect(vault.settings.size).toBe(8);
    expect(events).toEqual(VAULT_RESTARTED);
  });

  it('is configure on a plugin that is not live', async () => {
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    registry.register(Vault);
    expect(await registry.reconfigure(Secrets, 'vault', { size: 3 })).toEqual({
      ok: true,
      restarted: [],
      rolledBack: false,
      failed: [],
    });
    expect(registry.getConfig(Secrets, 'vault')).toMatchObject({ size: 3 });
    expect(registry.info(Secrets, 'vault').state).toBe('loaded');
  });

  it('refuses a plugin that is starting, when called', async () => {
    const gate = deferred();
    @FloePlugin({ ...meta, type: Secrets, name: 'slow', configSchema: PoolSettings })
    class Slow extends PluginMetadata {
      override startup() {
        return gate.promise;
      }
    }
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    registry.register(Slow);
    const starting = registry.get(Secrets, 'slow');
    await until(() => registry.info(Secrets, 'slow').state === 'starting');
    expect((await rejection(registry.reconfigure(Secrets, 'slow', { size: 3 }))).code).toBe('PLUGIN_ALREADY_ACTIVE');
    gate.resolve();
    await starting;
  });

  it('makes a get asked for while it runs wait, then hands out the new instance', async () => {
    const gate = deferred();
    @FloePlugin({ ...meta, type: Storage, name: 'slow-to-stop', dependsOn: ['vault'] })
    class SlowToStop extends PluginMetadata {
      override shutdown() {
        return gate.promise;
      }
    }
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    registry.register(Vault);
    registry.register(SlowToStop);
    await registry.startAll();
    const reconfiguring = registry.reconfigure(Secrets, 'vault', { size: 4 });
    await until(() => registry.info(Secrets, 'vault').state === 'stopping');
    const next = registry.get<Vault>(Secrets, 'vault');
    gate.resolve();
    expect((await reconfiguring).restarted).toEqual(['floe.secrets:vault', 'floe.storage:slow-to-stop']);
    expect((await next).settings.size).toBe(4);
  });
});

describe('applyConfig with live: true', () => {
  it('restarts only the live plugins whose settings changed, and configures the others', async () => {
    const registry = await live();
    class Idle extends PluginMetadata {}
    FloePlugin({ ...meta, type: Compute, name: 'idle', configSchema: PoolSettings })(Idle);
    registry.register(Idle);
    const unrelated = await registry.get(Storage, 'unrelated');
    const report = await registry.applyConfig(
      config({
        'floe.secrets:vault': { size: 6 },
        'floe.storage:unrelated': { size: 2 }, // as before: untouched
        'floe.computes:idle': { size: 9 },
      }),
      { live: true },
    );
    expect(report.ok).toBe(true);
    expect(report.restarted).toEqual(['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb']);
    expect(Object.keys(report.applied).sort()).toEqual([
      'floe.computes:idle',
      'floe.secrets:vault',
      'floe.storage:unrelated',
    ]);
    expect(await registry.get(Storage, 'unrelated')).toBe(unrelated);
    expect(events).not.toContain('stop:unrelated');
    expect(registry.getConfig(Compute, 'idle')).toMatchObject({ size: 9 });
  });

  it('is all or nothing: one invalid plugin, and nothing changes or restarts', async () => {
    const registry = await live();
    const error = await rejection(
      registry.applyConfig(config({ 'floe.secrets:vault': { size: 6 }, 'floe.storage:unrelated': { size: -1 } }), {
        live: true,
      }),
    );
    expect(error.code).toBe('PLATFORM_CONFIG_INVALID');
    expect(events).toEqual([]);
    expect(registry.getConfig(Secrets, 'vault')).toMatchObject({ size: 2 });
  });

  it('rolls the whole configuration back when a restarted plugin fails to start', async () => {
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    for (const cls of [Vault, Unrelated]) registry.register(cls);
    await registry.get(Secrets, 'vault');
    const report = await registry.applyConfig(
      config({ 'floe.secrets:vault': { size: 500 }, 'floe.storage:unrelated': { size: 7 } }),
      { live: true },
    );
    expect([report.ok, report.rolledBack]).toEqual([false, true]);
    expect(registry.getConfig(Storage, 'unrelated')).toBeUndefined();
    expect((await registry.get<Vault>(Secrets, 'vault')).settings.size).toBe(2);
  });
});

describe('applyConfig in part', () => {
  it('stores what is valid, and a plugin whose settings are refused fails to start with them until fixed', async () => {
    built.length = 0;
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    for (const cls of [Vault, Polaris, DuckDB, Unrelated]) registry.register(cls);
    const report = await registry.applyConfig(
      config({ 'floe.secrets:vault': { size: 0 }, 'floe.storage:unrelated': { size: 3 } }, { [Compute]: 'nope' }),
      { partial: true },
    );
    expect(report.applied).toEqual({ 'floe.storage:unrelated': expect.objectContaining({ size: 3 }) });
    expect(report.problems.map(({ pluginKey, error }) => [pluginKey, (error as { code: string }).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_CONFIG_INVALID'],
      ['floe.computes:nope', 'PLUGIN_NOT_FOUND'],
    ]);
    expect(registry.getConfig(Secrets, 'vault')).toBeUndefined();

    const startup = await registry.startAll();
    expect(startup.failed.map(({ key, error }) => [key, (error as { code: string }).code])).toEqual([
      ['floe.secrets:vault', 'PLUGIN_CONFIG_INVALID'],
    ]);
    expect(startup.skipped.map((skip) => skip.key).sort()).toEqual(['floe.catalogs:polaris', 'floe.computes:duckdb']);
    expect(built.filter((b) => b.name === 'vault')).toEqual([]);
    expect(registry.status().expected.find((p) => p.key === 'floe.secrets:vault')).toMatchObject({
      state: 'failed',
      reason: 'PLUGIN_CONFIG_INVALID',
    });

    // Valid settings replace the refused ones, and the plugin starts.
    await registry.configure(Secrets, 'vault', { size: 4 });
    expect((await registry.get<Vault>(Secrets, 'vault')).settings.size).toBe(4);
    await registry.shutdownAll();
  });
});

describe('applyConfig live, as the whole desired state', () => {
  it('returns a plugin whose section was removed to its defaults, restarting it', async () => {
    const registry = await live();
    await registry.applyConfig(config({ 'floe.secrets:vault': { size: 8 } }), { live: true });
    expect((await registry.get<Vault>(Secrets, 'vault')).settings.size).toBe(8);
    events.length = 0;
    const report = await registry.applyConfig(config({}), { live: true });
    expect(report).toMatchObject({
      ok: true,
      restarted: ['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb'],
    });
    expect((await registry.get<Vault>(Secrets, 'vault')).settings.size).toBe(2);
    expect(registry.getConfig(Secrets, 'vault')).toMatchObject({ size: 2 });
    // A plugin the config never listed is left as it is.
    expect(events).not.toContain('stop:unrelated');
    await registry.shutdownAll();
  });

  it('returns a default it no longer names to the registry options’ default, or to none', async () => {
    @FloePlugin({ ...meta, type: Secrets, name: 'env' })
    class Env extends PluginMetadata {}
    const withOption = new PluginRegistry({
      rootDir: '/nonexistent',
      logger: createSilentLogger(),
      defaults: { [Secrets]: 'vault' },
    });
    const without = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    for (const registry of [withOption, without]) {
      for (const cls of [Vault, Env]) registry.register(cls);
      registry.container.bind(UsesSecrets).toSelf();
      await registry.applyConfig(config({}, { [Secrets]: 'env' }), { live: true });
      expect((await registry.container.getAsync(UsesSecrets)).secrets).toBeInstanceOf(Env);
      await registry.applyConfig(config({}), { live: true });
    }
    expect((await withOption.container.getAsync(UsesSecrets)).secrets).toBeInstanceOf(Vault);
    expect((await rejection(without.container.getAsync(UsesSecrets))).code).toBe('PLUGIN_AMBIGUOUS');
    await Promise.all([withOption.shutdownAll(), without.shutdownAll()]);
  });

  it('starts again every expected plugin that is not live once the change is applied: a fix heals', async () => {
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    for (const cls of [Vault, Polaris, DuckDB]) registry.register(cls);
    await registry.applyConfig(config({ 'floe.secrets:vault': { size: 500 } }), { partial: true });
    const first = await registry.startAll();
    expect(first.failed.map((f) => f.key)).toEqual(['floe.secrets:vault']);
    const report = await registry.applyConfig(config({ 'floe.secrets:vault': { size: 7 } }), { live: true });
    expect(report).toMatchObject({
      ok: true,
      restarted: [],
      started: ['floe.secrets:vault', 'floe.catalogs:polaris', 'floe.computes:duckdb'],
    });
    expect((await registry.get<Vault>(Secrets, 'vault')).settings.size).toBe(7);
    expect(registry.status().expected.every((plugin) => plugin.state === 'active')).toBe(true);
    await registry.shutdownAll();
  });
});
