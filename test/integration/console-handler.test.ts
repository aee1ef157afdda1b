import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHealthHandler, createSilentLogger, PluginRegistry, PluginType } from '../../src';
import { createConsoleHandler } from '../../src/operations/console-handler';
import { ConsoleState } from '../../src/operations/console-state';
import { Journal } from '../support/lifecycle-fixtures';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(origin: string, path: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${path}`, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console handler, in front of the probes', () => {
  let registry: PluginRegistry;
  let server: http.Server;
  let origin: string;
  beforeAll(async () => {
    const journal = new Journal();
    registry = new PluginRegistry({ rootDir: '/nonexistent', logger: createSilentLogger() });
    registry.register(journal.plugin(PluginType.Secrets, 'vault'));
    registry.register(journal.plugin(PluginType.Catalog, 'polaris', { dependsOn: ['vault'] }));
    const state = new ConsoleState(registry);
    server = http.createServer(createConsoleHandler(state, createHealthHandler(registry)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await registry.shutdownAll();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves the page with its script allowed by a fresh nonce, and nothing else allowed but this server', async () => {
    const first = await request(origin, '/');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers['cache-control']).toBe('no-store');
    const policy = String(first.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{24}$/);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(first.body).toContain(`<script nonce="${nonce}">`);
    // No address of another server anywhere in the page.
    expect(first.body.match(/https?:\/\//g)).toBeNull();
    const second = await request(origin, '/index.html');
    expect(String(second.headers['content-security-policy'])).not.toContain(String(nonce));
  });

  it('answers HEAD without a body, and other methods with 405', async () => {
    const head = await request(origin, '/status.json', 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(10);
    expect(head.body).toBe('');
    const post = await request(origin, '/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('serves the status and the graph with the states of the moment', async () => {
    const before = JSON.parse((await request(origin, '/status.json')).body);
    expect(before.phase).toBe('idle');
    expect(before.plugins.map((p: { key: string; state: string }) => `${p.key} ${p.state}`)).toEqual([
      'floe.catalogs:polaris loaded',
      'floe.secrets:vault loaded',
    ]);
    expect(before.graph.edges).toEqual([{ from: 'floe.catalogs:polaris', to: 'floe.secrets:vault' }]);
    const idle = await request(origin, '/graph.svg');
    expect(idle.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(idle.body).toContain('data-key="floe.secrets:vault" data-state="loaded"');
    await registry.startAll();
    const after = JSON.parse((await request(origin, '/status.json')).body);
    expect(after.phase).toBe('running');
    expect(after.graphVersion).toBe(before.graphVersion);
    const live = await request(origin, '/graph.svg');
    expect(live.body).toContain('data-key="floe.secrets:vault" data-state="active"');
  });

  it('leaves every other path to the probes', async () => {
    expect((await request(origin, '/livez')).status).toBe(200);
    expect((await request(origin, '/nope')).status).toBe(404);
  });
});
