import { IsString } from 'class-validator';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createHealthHandler,
  createSilentLogger,
  FloePlugin,
  HealthState,
  PluginMetadata,
  PluginRegistry,
  PluginType,
  type HealthHandlerOptions,
} from '../../src';
import { rejection, thrown } from '../support/caught';
import { deferred, forever, Journal, type Behaviour } from '../support/lifecycle-fixtures';

const { Catalog, Compute, Secrets, Storage } = PluginType;

/** A registry with the given plugins, served by the health handler on 127.0.0.1 at an ephemeral port. */
async function serve(
  plugins: [PluginType, string, Behaviour?][],
  options: HealthHandlerOptions = {},
): Promise<{ registry: PluginRegistry; journal: Journal; url: string; close: () => Promise<void> }> {
  const journal = new Journal();
  const registry = new PluginRegistry({
    rootDir: '/nonexistent',
    logger: createSilentLogger(),
    timeouts: { startupMs: 500, shutdownMs: 500, healthMs: 100 },
  });
  for (const [type, name, behaviour] of plugins) registry.register(journal.plugin(type, name, behaviour));
  const server = http.createServer(createHealthHandler(registry, options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    registry,
    journal,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await registry.shutdownAll();
    },
  };
}

async function probe(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; response: Response }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), response };
}

const healthy = { state: HealthState.Healthy, message: 'fine', details: {} };

describe('createHealthHandler', () => {
  const servers: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  async function started(plugins: [PluginType, string, Behaviour?][], options?: HealthHandlerOptions) {
    const server = await serve(plugins, options);
    servers.push(server);
    await server.registry.startAll();
    return server;
  }

  it('answers live, ready and healthy for a platform whose plugins are all live and healthy', async () => {
    const { url } = await started([
      [Secrets, 'vault', { health: () => healthy }],
      [Compute, 'duckdb'],
    ]);
    expect(await probe(`${url}/livez`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await probe(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      plugins: {
        'floe.computes:duckdb': { state: 'active', health: { state: 'healthy', message: '', details: {} } },
        'floe.secrets:vault': { state: 'active', health: healthy },
      },
    });
    expect(ready.response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await probe(`${url}/healthz`)).toMatchObject({
      status: 200,
      body: { status: 'healthy', plugins: { 'floe.secrets:vault': healthy } },
    });
  });

  it('is not ready when a started plugin failed, and lists every expected plugin with why it is not ready', async () => {
    const { url } = await started([
      [Secrets, 'vault', { startup: () => Promise.reject(new Error('sealed')) }],
      [Compute, 'duckdb', { dependsOn: ['vault'] }],
      [Storage, 's3'],
    ]);
    const ready = await probe(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({
      status: 'not_ready',
      plugins: {
        'floe.computes:duckdb': { state: 'loaded', reason: 'PLUGIN_SKIPPED', blockedBy: 'floe.secrets:vault' },
        'floe.secrets:vault': { state: 'failed', reason: 'PLUGIN_STARTUP_FAILED' },
        'floe.storage:s3': { state: 'active', health: { state: 'healthy', message: '', details: {} } },
      },
    });
  });

  it('reports degraded with 200 and unhealthy with 503, and readiness follows unhealthy', async () => {
    const degraded = await started([[Secrets, 'vault', { health: () => ({ ...healthy, state: 'degraded' }) }]]);
    expect(await probe(`${degraded.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'degraded' } });
    expect((await probe(`${degraded.url}/readyz`)).status).toBe(200);
    const sick = await started([
      [Secrets, 'vault', { health: () => ({ ...healthy, state: 'unhealthy', message: 'sealed' }) }],
    ]);
    expect(await probe(`${sick.url}/healthz`)).toMatchObject({ status: 503, body: { status: 'unhealthy' } });
    expect((await probe(`${sick.url}/readyz`)).status).toBe(503);
  });

  it('answers HEAD without a body, other methods with 405 and other paths with 404, always in JSON', async () => {
    const { url } = await started([[Secrets, 'vault']]);
    const head = await probe(`${url}/healthz`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, undefined]);
    expect(head.response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const post = await probe(`${url}/readyz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.response.headers.get('allow')).toBe('GET, HEAD');
    expect(post.body).toMatchObject({ status: 'method_not_allowed' });
    expect(await probe(`${url}/metrics`)).toMatchObject({ status: 404, body: { status: 'not_found' } });
  });

  it('turns live and ready to 503 the moment a shutdown begins, before any plugin has stopped', async () => {
    const gate = deferred();
    const { url, registry, journal } = await started([[Secrets, 'vault', { shutdown: () => gate.promise }]]);
    const stopping = registry.shutdownAll();
    expect((await probe(`${url}/readyz`)).status).toBe(503);
    expect(await probe(`${url}/livez`)).toMatchObject({ status: 503, body: { status: 'shutting_down' } });
    expect(journal.of('stopped')).toEqual([]);
    gate.resolve();
    await stopping;
    expect((await probe(`${url}/livez`)).status).toBe(503);
    expect(await probe(`${url}/readyz`)).toMatchObject({ status: 503, body: { status: 'stopping' } });
    expect(await probe(`${url}/healthz`)).toMatchObject({ status: 503, body: { status: 'stopping' } });
    await registry.startAll();
    expect((await probe(`${url}/livez`)).status).toBe(200);
    expect((await probe(`${url}/readyz`)).status).toBe(200);
  });

  it('shares one health round among concurrent requests and reuses it for cacheMs', async () => {
    let clock = 0;
    let checks = 0;
    const { url } = await started([[Secrets, 'vault', { health: () => (checks++, healthy) }]], {
      cacheMs: 1000,
      now: () => clock,
    });
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) => probe(`${url}/${i % 2 ? 'healthz' : 'readyz'}`)),
    );
    expect(burst.every((answer) => answer.status === 200)).toBe(true);
    expect(checks).toBe(1);
    clock = 999;
    await probe(`${url}/healthz`);
    expect(checks).toBe(1);
    clock = 2000;
    await probe(`${url}/healthz`);
    expect(checks).toBe(2);
  });

  it('costs a hung plugin one health timeout per round, however many probes wait on it', async () => {
    let checks = 0;
    const { url } = await started([[Secrets, 'hung', { health: () => (checks++, forever()) }]], { cacheMs: 0 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => probe(`${url}/healthz`)));
    // One round for all twenty: the hung check ran once and timed out once.
    expect(checks).toBe(1);
    expect(
      answers.map(
        (answer) =>
          (answer.body as { plugins: Record<string, { message: string }> }).plugins['floe.secrets:hung'].message,
      ),
    ).toEqual(Array(20).fill('health check timed out after 100 ms'));
  });

  it('refuses a cacheMs that is not a number of milliseconds', () => {
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    expect(thrown(() => createHealthHandler(registry, { cacheMs: -1 })).code).toBe('REGISTRY_OPTIONS_INVALID');
  });

  it('answers starting until the registry has started, and while a startAll runs', async () => {
    const gate = deferred();
    const server = await serve([[Secrets, 'vault', { startup: () => gate.promise }]]);
    servers.push(server);
    expect(await probe(`${server.url}/readyz`)).toMatchObject({ status: 503, body: { status: 'starting' } });
    const starting = server.registry.startAll();
    expect(await probe(`${server.url}/readyz`)).toMatchObject({ status: 503, body: { status: 'starting' } });
    expect(await text(`${server.url}/readyz?verbose`)).toEqual({
      status: 503,
      text: '[-]startup failed: starting\nreadyz check failed\n',
    });
    expect((await probe(`${server.url}/livez`)).status).toBe(200);
    gate.resolve();
    await starting;
    expect((await probe(`${server.url}/readyz`)).status).toBe(200);
  });

  it('lists a plugin refused before starting, with the reason: its settings, or a cycle', async () => {
    class NeedsHost {
      @IsString() host!: string;
    }
    @FloePlugin({ type: Storage, name: 'db', version: '1.0.0', apiVersion: '1.0', configSchema: NeedsHost })
    class Db extends PluginMetadata {}
    const server = await serve([[Secrets, 'vault']]);
    servers.push(server);
    server.registry.register(Db);
    await server.registry.startAll();
    expect((await probe(`${server.url}/readyz`)).body).toMatchObject({
      status: 'not_ready',
      plugins: { 'floe.storage:db': { state: 'failed', reason: 'PLUGIN_CONFIG_INVALID' } },
    });

    const looped = await serve([
      [Compute, 'a', { dependsOn: ['b'] }],
      [Catalog, 'b', { dependsOn: ['a'] }],
    ]);
    servers.push(looped);
    expect((await rejection(looped.registry.startAll())).code).toBe('DEPENDENCY_CYCLE');
    expect(await probe(`${looped.url}/readyz`)).toMatchObject({
      status: 503,
      body: {
        status: 'not_ready',
        plugins: {
          'floe.catalogs:b': { state: 'loaded', reason: 'DEPENDENCY_CYCLE' },
          'floe.computes:a': { state: 'loaded', reason: 'DEPENDENCY_CYCLE' },
        },
      },
    });
    expect((await probe(`${looped.url}/healthz`)).status).toBe(503);
  });

  it('answers in Kubernetes’ words with ?verbose, and leaves plugins out with ?exclude', async () => {
    const { url } = await started([
      [Secrets, 'vault', { startup: () => Promise.reject(new Error('sealed')) }],
      [Storage, 's3'],
    ]);
    expect(await text(`${url}/readyz?verbose`)).toEqual({
      status: 503,
      text: [
        '[+]shutdown ok',
        '[-]floe.secrets:vault failed: PLUGIN_STARTUP_FAILED',
        '[+]floe.storage:s3 ok',
        'readyz check failed',
        '',
      ].join('\n'),
    });
    expect(await text(`${url}/readyz?verbose&exclude=floe.secrets:vault&exclude=nope`)).toEqual({
      status: 200,
      text: [
        '[+]shutdown ok',
        '[+]floe.storage:s3 ok',
        '[+]floe.secrets:vault excluded: ok',
        'warn: some health checks cannot be excluded: no matches for "nope"',
        'readyz check passed',
        '',
      ].join('\n'),
    });
    expect(await probe(`${url}/readyz?exclude=floe.secrets:vault`)).toMatchObject({
      status: 200,
      body: { status: 'ready' },
    });
    expect(await text(`${url}/livez?verbose`)).toEqual({
      status: 200,
      text: '[+]ping ok\n[+]shutdown ok\nlivez check passed\n',
    });
    // A malformed query is read as far as it can be, never a failure of the probe.
    expect((await probe(`${url}/readyz?exclude=%E0%A4%A&exclude`)).status).toBe(503);
  });

  it('probes one plugin at /readyz/<key>, and names the known keys for an unknown one', async () => {
    const { url } = await started([
      [Secrets, 'vault', { startup: () => Promise.reject(new Error('sealed')) }],
      [Storage, 's3'],
    ]);
    expect(await text(`${url}/readyz/floe.storage:s3`)).toEqual({ status: 200, text: 'ok' });
    expect(await text(`${url}/readyz/floe.storage%3As3?verbose`)).toEqual({
      status: 200,
      text: '[+]floe.storage:s3 ok\nreadyz check passed\n',
    });
    expect(await text(`${url}/readyz/floe.secrets:vault`)).toEqual({
      status: 503,
      text: '[-]floe.secrets:vault failed: PLUGIN_STARTUP_FAILED\nreadyz check failed\n',
    });
    expect(await probe(`${url}/readyz/floe.storage:nope`)).toMatchObject({
      status: 404,
      body: { status: 'not_found', known: ['floe.secrets:vault', 'floe.storage:s3'] },
    });
    expect((await probe(`${url}/readyz/%E0%A4%A`)).status).toBe(404);
  });

  it('narrows readiness to the required plugins, and a required one never started is not ready', async () => {
    const registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    const journal = new Journal();
    registry.register(journal.plugin(Secrets, 'vault', { startup: () => Promise.reject(new Error('sealed')) }));
    registry.register(journal.plugin(Storage, 's3'));
    registry.register(journal.plugin(Compute, 'duckdb'));
    const server = http.createServer(createHealthHandler(registry, { required: ['floe.storage:s3'] }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await registry.startAll(['floe.secrets:vault', 'floe.storage:s3']);
      expect(await probe(`${url}/readyz`)).toMatchObject({
        status: 200,
        body: { status: 'ready', plugins: { 'floe.storage:s3': { state: 'active' } } },
      });
      const strict = createHealthHandler(registry, { required: ['floe.storage:s3', 'floe.computes:duckdb'] });
      server.removeAllListeners('request');
      server.on('request', strict);
      expect(await probe(`${url}/readyz`)).toMatchObject({
        status: 503,
        body: { plugins: { 'floe.computes:duckdb': { state: 'unknown', reason: 'not_started' } } },
      });
      expect(thrown(() => createHealthHandler(registry, { required: 'x' as never })).code).toBe(
        'REGISTRY_OPTIONS_INVALID',
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await registry.shutdownAll();
    }
  });
});

async function text(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}
