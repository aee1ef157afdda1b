import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { eventually, until } from '../support/lifecycle-fixtures';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';
import { REPO_ROOT, requireBuild } from '../support/run-node';

/**
 * A platform whose `pool` plugin reports its settings in its health details, so that a probe shows which
 * settings the live instance has, and whose `slow` plugin takes SLOW_STOP_MS to stop.
 */
function servedPlatform(): PackageTree {
  const tree = PackageTree.create('serve');
  tree.linkFloeCore();
  tree.linkDependency('class-validator');
  tree.project({}, { 'floe.config.yaml': 'plugins:\n  floe.storage:pool:\n    size: 2\n' });
  tree.package('pool', floeField(['floe.storage', 'pool', './index.js#poolPlugin']), {
    'index.js': pluginModule({
      type: 'floe.storage',
      name: 'pool',
      prelude: [
        `const { IsInt, Min } = require('class-validator');`,
        `class PoolSettings { constructor() { this.size = 1; } }`,
        `IsInt()(PoolSettings.prototype, 'size'); Min(1)(PoolSettings.prototype, 'size');`,
        `const { inject } = require('inversify');`,
      ].join('\n'),
      extraOptions: 'configSchema: PoolSettings',
      body: [
        'constructor(settings) { super(); this.settings = settings; }',
        "healthCheck() { return { state: 'healthy', message: 'pool', details: { size: this.settings.size } }; }",
      ].join('\n'),
    }).replace(
      /floe\.FloePlugin\(/,
      `require('inversify').inject(PoolSettings)(poolPlugin, undefined, 0);\nfloe.FloePlugin(`,
    ),
  });
  tree.package('slow', floeField(['floe.secrets', 'slow', './index.js#slowPlugin']), {
    'index.js': pluginModule({
      type: 'floe.secrets',
      name: 'slow',
      body: [
        'startup() { return new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_START_MS || 0))); }',
        'shutdown() { return new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_STOP_MS || 0))); }',
      ].join('\n'),
    }),
  });
  tree.linkDependency('inversify');
  return tree;
}

async function json(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('floe serve, in this process', () => {
  let tree: PackageTree;
  beforeAll(() => {
    tree = servedPlatform();
  });
  afterAll(() => tree.remove());

  function start(args: string[]) {
    const signals = new EventEmitter();
    const stderr: string[] = [];
    const stdout: string[] = [];
    const done = main(
      ['serve', '--root', tree.root, '--port', '0', ...args],
      { out: (text) => stdout.push(text), err: (text) => stderr.push(text) },
      { signals },
    );
    const url = async () => {
      await until(() => stderr.some((line) => line.startsWith('listening on ')), 10_000);
      return (stderr.find((line) => line.startsWith('listening on ')) as string).slice('listening on '.length);
    };
    return { signals, stderr, stdout, done, url };
  }

  it('serves the probes, and on SIGTERM stops everything and resolves 0', async () => {
    const served = start(['--json']);
    const url = await served.url();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await json(`${url}/readyz`)).status).toBe(200);
    expect((await json(`${url}/healthz`)).body).toMatchObject({
      status: 'healthy',
      plugins: { 'floe.storage:pool': { details: { size: 2 } } },
    });
    served.signals.emit('SIGTERM', 'SIGTERM');
    expect(await served.done).toBe(0);
    const report = JSON.parse(served.stdout.join('\n'));
    expect(report.ok).toBe(true);
    expect(report.shutdown.stopped.sort()).toEqual(['floe.secrets:slow', 'floe.storage:pool']);
  });

  it('with --watch, applies a changed config live, and reports a bad one with its line, changing nothing', async () => {
    const config = tree.write('watched.config.yaml', 'plugins:\n  floe.storage:pool:\n    size: 3\n');
    const served = start(['--watch', '--config', config]);
    const url = await served.url();
    expect((await json(`${url}/healthz`)).body).toMatchObject({
      plugins: { 'floe.storage:pool': { details: { size: 3 } } },
    });

    tree.write('watched.config.yaml', 'plugins:\n  floe.storage:pool:\n    size: 5\n');
    await until(() => served.stderr.some((line) => line.startsWith('applied ')), 10_000);
    expect(served.stderr.find((line) => line.startsWith('applied '))).toContain('restarted floe.storage:pool');
    // Health rounds are reused for a second: poll until the round shows the new instance.
    const size = async () =>
      ((await json(`${url}/healthz`)).body as { plugins: Record<string, { details: { size: number } }> }).plugins[
        'floe.storage:pool'
      ].details.size;
    expect(await eventually(size, (value) => value === 5)).toBe(5);

    tree.write('watched.config.yaml', 'plugins:\n  floe.storage:pool:\n    size: 0\n');
    await until(() => served.stderr.some((line) => line.startsWith('not applied')), 10_000);
    expect(served.stderr.find((line) => line.startsWith('not applied'))).toContain(`${config}:2`);
    tree.write('watched.config.yaml', 'plugins: [\n');
    await until(() => served.stderr.filter((line) => line.startsWith('not applied')).length === 2, 10_000);
    expect(served.stderr.filter((line) => line.startsWith('not applied'))[1]).toContain(`${config}:`);
    expect(await size()).toBe(5);
    expect((await json(`${url}/readyz`)).status).toBe(200);

    served.signals.emit('SIGINT', 'SIGINT');
    expect(await served.done).toBe(0);
  });

  it('shuts down cleanly on a signal that comes while plugins are still starting, and resolves 1', async () => {
    process.env.SLOW_START_MS = '200';
    try {
      const served = start([]);
      // Once the signal listeners are in place, while the slow plugin starts.
      await until(() => served.signals.listenerCount('SIGTERM') > 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      served.signals.emit('SIGTERM', 'SIGTERM');
      expect(await served.done).toBe(1);
      expect(served.stderr.join('\n')).toContain('floe.secrets:slow failed to start');
      expect(served.stderr[served.stderr.length - 1]).toBe('stopped');
    } finally {
      delete process.env.SLOW_START_MS;
    }
  });

  it('refuses --watch without a config file, and a taken port, as usage errors', async () => {
    const bare = PackageTree.create('serve-bare');
    try {
      bare.project({});
      const out: string[] = [];
      const sink = { out: (text: string) => out.push(text), err: () => undefined };
      expect(await main(['serve', '--root', bare.root, '--port', '0', '--watch'], sink)).toBe(2);
      expect(await main(['serve', '--root', bare.root, '--port', '70000'], sink)).toBe(2);
    } finally {
      bare.remove();
    }
  });
});

describe('floe serve as a child process', () => {
  let tree: PackageTree;
  beforeAll(() => {
    requireBuild();
    tree = servedPlatform();
  });
  afterAll(() => tree.remove());

  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  function spawnServe(env: Record<string, string> = {}) {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'floe.js'), 'serve', '--root', tree.root, '--port', '0'],
      {
        env: { ...process.env, ...env },
      },
    );
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = async () => {
      await until(() => /listening on (\S+)/.test(stderr), 20_000);
      return (/listening on (\S+)/.exec(stderr) as RegExpExecArray)[1];
    };
    return { child, exited, url, stderr: () => stderr };
  }

  it('turns readiness to 503 on SIGTERM before the plugins stop, then exits 0', async () => {
    const served = spawnServe({ SLOW_STOP_MS: '400' });
    const url = await served.url();
    expect((await json(`${url}/readyz`)).status).toBe(200);
    served.child.kill('SIGTERM');
    await until(() => served.stderr().includes('stopping plugins'), 10_000);
    expect((await json(`${url}/readyz`)).status).toBe(503);
    expect(await served.exited).toBe(0);
  });

  it('exits 1 at once on a second signal during a slow shutdown', async () => {
    const served = spawnServe({ SLOW_STOP_MS: '60000' });
    await served.url();
    served.child.kill('SIGTERM');
    await until(() => served.stderr().includes('stopping plugins'), 10_000).catch((error: Error) => {
      throw new Error(`${error.message}; stderr: ${served.stderr()}`);
    });
    served.child.kill('SIGINT');
    expect(await served.exited).toBe(1);
    expect(served.stderr()).toContain('stopping at once');
  });
});
