import { createSilentLogger, HealthState, PluginRegistry, PluginType } from '../../../src';
import { tapEvents } from '../../../src/logging';
import { ConsoleState } from '../../../src/operations/console-state';
import { deferred, Journal, until, type Behaviour } from '../../support/lifecycle-fixtures';

const { Catalog, Compute, Secrets } = PluginType;

/** A registry whose log events feed a console state on a clock the test moves. */
function setup(plugins: [PluginType, string, Behaviour?][]) {
  const clock = { now: 1_000, wall: Date.UTC(2026, 0, 1) };
  const journal = new Journal();
  const holder: { state?: ConsoleState } = {};
  const registry = new PluginRegistry({
    rootDir: '/nonexistent',
    logger: tapEvents(createSilentLogger(), (event, plugin) => holder.state?.event(event, plugin)),
  });
  for (const [type, name, behaviour] of plugins) registry.register(journal.plugin(type, name, behaviour));
  const state = new ConsoleState(registry, {
    now: () => clock.now,
    wallClock: () => clock.wall,
    healthMaxAgeMs: 5_000,
  });
  holder.state = state;
  return { registry, journal, state, clock };
}

describe('the console state', () => {
  it('follows a startup live, plugin by plugin, then takes the report’s exact timings and critical path', async () => {
    const gate = deferred();
    const { registry, state, clock, journal } = setup([
      [Secrets, 'vault'],
      [Catalog, 'polaris', { dependsOn: ['vault'], startup: () => gate.promise }],
    ]);
    expect(state.status().startup).toBeUndefined();
    state.startupBegan();
    const starting = registry.startAll();
    await until(() => journal.of('start').includes('floe.catalogs:polaris'));
    clock.now += 40;
    const live = state.status().startup!;
    expect(live.running).toBe(true);
    expect(live.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(live.durationMs).toBe(40);
    // Both began at the same moment of this clock: in key order then.
    expect(live.bars.map(({ key, outcome }) => [key, outcome])).toEqual([
      ['floe.catalogs:polaris', 'starting'],
      ['floe.secrets:vault', 'started'],
    ]);
    expect(live.bars[0].endMs).toBeUndefined();
    expect(live.bars[1].endMs).toBe(0);
    expect(state.status().plugins.map(({ key, state: s }) => [key, s])).toEqual([
      ['floe.catalogs:polaris', 'starting'],
      ['floe.secrets:vault', 'active'],
    ]);
    gate.resolve();
    const report = await starting;
    state.startupEnded(report);
    const ended = state.status().startup!;
    expect(ended.running).toBe(false);
    expect(ended.criticalPath).toEqual(['floe.secrets:vault', 'floe.catalogs:polaris']);
    expect(ended.durationMs).toBe(Math.round(report.durationMs * 10) / 10);
    const polaris = ended.bars.find((bar) => bar.key === 'floe.catalogs:polaris')!;
    expect(polaris).toEqual({
      key: 'floe.catalogs:polaris',
      startMs: Math.round(report.timings['floe.catalogs:polaris'].startedAt * 10) / 10,
      endMs: Math.round(report.timings['floe.catalogs:polaris'].endedAt * 10) / 10,
      outcome: 'started',
    });
    // Events after the run do not change it.
    state.event('plugin.starting', 'floe.secrets:vault');
    expect(state.status().startup).toEqual(ended);
    await registry.shutdownAll();
  });

  it('shows a failed plugin as failed, with its reason, and the plugin it blocks', async () => {
    const { registry, state } = setup([
      [Secrets, 'vault', { startup: () => Promise.reject(new Error('sealed\nsecond line')) }],
      [Catalog, 'polaris', { dependsOn: ['vault'] }],
    ]);
    state.startupBegan();
    state.startupEnded(await registry.startAll());
    const status = state.status();
    expect(status.plugins).toEqual([
      expect.objectContaining({
        key: 'floe.catalogs:polaris',
        expected: true,
        reason: 'PLUGIN_SKIPPED',
        blockedBy: 'floe.secrets:vault',
      }),
      expect.objectContaining({ key: 'floe.secrets:vault', state: 'failed', reason: 'PLUGIN_STARTUP_FAILED' }),
    ]);
    expect(status.plugins[1].error).toMatch(/sealed$/);
    expect(status.startup!.bars).toEqual([expect.objectContaining({ key: 'floe.secrets:vault', outcome: 'failed' })]);
    await registry.shutdownAll();
  });

  it('ends a startup refused as a whole, closing the bars still open as failed', () => {
    const { state, clock } = setup([[Secrets, 'vault']]);
    state.startupBegan();
    state.event('plugin.starting', 'floe.secrets:vault');
    clock.now += 12;
    state.startupEnded(undefined);
    expect(state.status().startup).toMatchObject({
      running: false,
      durationMs: 12,
      criticalPath: [],
      bars: [{ key: 'floe.secrets:vault', startMs: 0, endMs: 12, outcome: 'failed' }],
    });
  });

  it('checks health at most once per allowed age, only while running, and shows it for live plugins', async () => {
    let checks = 0;
    const { registry, state, clock } = setup([
      [
        Secrets,
        'vault',
        { health: () => (checks++, { state: HealthState.Degraded, message: `check ${checks}`, details: {} }) },
      ],
    ]);
    state.status();
    await state.settled();
    expect(checks).toBe(0);
    await registry.startAll();
    expect(state.status().plugins[0].health).toBeUndefined();
    await state.settled();
    expect(checks).toBe(1);
    const status = state.status();
    expect(status.plugins[0].health).toEqual({ state: 'degraded', message: 'check 1' });
    expect(status.healthCheckedAt).toBe('2026-01-01T00:00:00.000Z');
    clock.now += 4_999;
    state.status();
    await state.settled();
    expect(checks).toBe(1);
    clock.now += 1;
    state.status();
    await state.settled();
    expect(checks).toBe(2);
    await registry.shutdownAll();
    expect(state.status().plugins[0].health).toBeUndefined();
  });

  it('builds the graph again only when its shape changes, and gives it the states of the moment', async () => {
    const { registry, state } = setup([
      [Secrets, 'vault'],
      [Compute, 'duckdb', { dependsOn: ['vault', 'floe.catalogs:nowhere'] }],
    ]);
    const first = state.status();
    expect(state.status().graphVersion).toBe(first.graphVersion);
    expect(first.graph.nodes.map((node) => [node.key, node.state])).toEqual([
      ['floe.computes:duckdb', 'loaded'],
      ['floe.secrets:vault', 'loaded'],
      ['missing:floe.catalogs:nowhere', undefined],
    ]);
    expect(first.graph.edges).toContainEqual({ from: 'floe.computes:duckdb', to: 'floe.secrets:vault' });
    await registry.get(Secrets, 'vault');
    const after = state.graphNow();
    expect(after.version).toBe(first.graphVersion);
    expect(after.graph.nodes.find((node) => node.key === 'floe.secrets:vault')?.state).toBe('active');
    registry.register(new Journal().plugin(Catalog, 'nowhere'));
    const grown = state.status();
    expect(grown.graphVersion).toBe(first.graphVersion + 1);
    expect(grown.graph.nodes.some((node) => node.missing === true)).toBe(false);
    await registry.shutdownAll();
  });
});
