import { createSilentLogger, PluginRegistry, PluginType } from '../../src';
import { rejection } from '../support/caught';
import { deferred, Journal, until, type Behaviour } from '../support/lifecycle-fixtures';

const { Catalog, Compute, Secrets, Storage } = PluginType;

function setup(plugins: [PluginType, string, Behaviour?][]) {
  const journal = new Journal();
  const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
  for (const [type, name, behaviour] of plugins) registry.register(journal.plugin(type, name, behaviour));
  return { registry, journal };
}

describe('registry.status()', () => {
  it('goes idle, starting, running, stopping, and back to running when a start is asked for after', async () => {
    const gate = deferred();
    const { registry, journal } = setup([[Secrets, 'vault', { startup: () => gate.promise }]]);
    expect(registry.status()).toEqual({ phase: 'idle', expected: [] });
    const starting = registry.startAll();
    expect(registry.status().phase).toBe('starting');
    await until(() => journal.of('start').length === 1);
    expect(registry.status().expected).toEqual([{ key: 'floe.secrets:vault', state: 'starting' }]);
    gate.resolve();
    await starting;
    expect(registry.status()).toEqual({ phase: 'running', expected: [{ key: 'floe.secrets:vault', state: 'active' }] });
    const stopping = registry.shutdownAll();
    expect(registry.status()).toEqual({ phase: 'stopping', expected: [] });
    await stopping;
    expect(registry.status().phase).toBe('stopping');
    await registry.get(Secrets, 'vault');
    expect(registry.status()).toEqual({ phase: 'running', expected: [{ key: 'floe.secrets:vault', state: 'active' }] });
    await registry.shutdownAll();
  });

  it('expects what a get or a startAll asked for and what it needs, with why each is not live', async () => {
    const { registry } = setup([
      [Secrets, 'vault', { startup: () => Promise.reject(new Error('sealed')) }],
      [Catalog, 'polaris', { dependsOn: ['vault'] }],
      [Compute, 'duckdb', { dependsOn: ['polaris'] }],
      [Storage, 's3'],
    ]);
    expect((await rejection(registry.get(Compute, 'duckdb'))).code).toBe('PLUGIN_STARTUP_FAILED');
    const { expected } = registry.status();
    expect(expected.map(({ key, state, reason, blockedBy }) => ({ key, state, reason, blockedBy }))).toEqual([
      { key: 'floe.catalogs:polaris', state: 'loaded', reason: 'PLUGIN_SKIPPED', blockedBy: 'floe.secrets:vault' },
      { key: 'floe.computes:duckdb', state: 'loaded', reason: 'PLUGIN_SKIPPED', blockedBy: 'floe.secrets:vault' },
      { key: 'floe.secrets:vault', state: 'failed', reason: 'PLUGIN_STARTUP_FAILED', blockedBy: undefined },
    ]);
    expect((expected[0].error as { code: string }).code).toBe('PLUGIN_SKIPPED');
    // s3 was never asked for: it is not expected.
    expect(expected.map((plugin) => plugin.key)).not.toContain('floe.storage:s3');
    await registry.shutdownAll();
  });

  it('forgets a refusal once the plugin is asked for again and starts', async () => {
    let fail = true;
    const { registry } = setup([
      [Secrets, 'vault', { startup: () => (fail ? Promise.reject(new Error('sealed')) : undefined) }],
      [Catalog, 'polaris', { dependsOn: ['vault'] }],
    ]);
    await registry.startAll();
    expect(registry.status().expected.map((plugin) => plugin.reason)).toEqual([
      'PLUGIN_SKIPPED',
      'PLUGIN_STARTUP_FAILED',
    ]);
    fail = false;
    await registry.startAll();
    expect(registry.status().expected).toEqual([
      { key: 'floe.catalogs:polaris', state: 'active' },
      { key: 'floe.secrets:vault', state: 'active' },
    ]);
    await registry.shutdownAll();
  });

  it('leaves out plugins a restore removed', async () => {
    const journal = new Journal();
    const { registry } = setup([]);
    registry.snapshot();
    registry.register(journal.plugin(Secrets, 'vault'));
    await registry.startAll();
    expect(registry.status().expected.map((plugin) => plugin.key)).toEqual(['floe.secrets:vault']);
    await registry.restore();
    expect(registry.status().expected).toEqual([]);
  });
});
