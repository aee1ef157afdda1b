import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
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
function servedPlatform(options: { reader?: boolean } = {}): PackageTree {
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
        "startup() { if (process.env.STARTED_FILE) require('fs').appendFileSync(process.env.STARTED_FILE, 'pool\\n'); }",
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
  if (options.reader === true)
    tree.package('reader', floeField(['floe.catalogs', 'reader', './index.js#readerPlugin']), {
      'index.js': pluginModule({ type: 'floe.catalogs', name: 'reader', dependsOn: ['floe.storage:pool'] }),
    });
  tree.linkDependency('inversify');
  return tree;
}

/** Asks /readyz until the platform is past starting, and returns that answer. */
async function settled(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return eventually(
    () => json(`${url}/readyz`),
    (answer) => answer.body.status !== 'starting',
  );
}

async function text(url: string): Promise<string> {
  return (await fetch(url)).text();
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
    expect((await settled(url)).status).toBe(200);
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
    await settled(url);
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

  it('binds its port before anything starts: the probes answer while the plugins start', async () => {
    process.env.SLOW_START_MS = '300';
    try {
      const served = start([]);
      const url = await served.url();
      expect(await json(`${url}/livez`)).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await json(`${url}/readyz`)).toMatchObject({ status: 503, body: { status: 'starting' } });
      expect(served.stderr.some((line) => line.includes('plugins live'))).toBe(false);
      expect((await settled(url)).status).toBe(200);
      expect(served.stderr).toContain('2 plugins live');
      served.signals.emit('SIGTERM', 'SIGTERM');
      expect(await served.done).toBe(0);
    } finally {
      delete process.env.SLOW_START_MS;
    }
  });

  it('exits 1 at once on a taken port, with nothing started', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const started = tree.path('started.txt');
    process.env.STARTED_FILE = started;
    try {
      const stderr: string[] = [];
      const code = await main(['serve', '--root', tree.root, '--port', String(taken)], {
        out: () => undefined,
        err: (text) => stderr.push(text),
      });
      expect(code).toBe(1);
      expect(stderr.join('\n')).toContain(`port ${taken} on 127.0.0.1 is taken; nothing was started`);
      expect(fs.existsSync(started)).toBe(false);
    } finally {
      delete process.env.STARTED_FILE;
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('with --drain, turns readiness to 503 at once on SIGTERM and stops the plugins only after the drain', async () => {
    const served = start(['--drain', '400']);
    const url = await served.url();
    expect((await settled(url)).status).toBe(200);
    const signalled = performance.now();
    served.signals.emit('SIGTERM', 'SIGTERM');
    expect(await json(`${url}/readyz`)).toMatchObject({ status: 503, body: { status: 'stopping' } });
    expect(await json(`${url}/healthz`)).toMatchObject({ status: 503, body: { status: 'stopping' } });
    // Still live while it drains: the shutdown has not begun.
    expect((await json(`${url}/livez`)).status).toBe(200);
    expect(await served.done).toBe(0);
    expect(performance.now() - signalled).toBeGreaterThanOrEqual(400);
  });

  it('with --watch, refreshes when node_modules changes: an installed package starts, a removed one goes', async () => {
    const served = start(['--watch', '--settle', '50']);
    const url = await served.url();
    expect((await settled(url)).status).toBe(200);
    tree.package('lake', floeField(['floe.catalogs', 'lake', './index.js#lakePlugin']), {
      'index.js': pluginModule({ type: 'floe.catalogs', name: 'lake', dependsOn: ['floe.storage:pool'] }),
    });
    await until(() => served.stderr.some((line) => line.includes('added floe.catalogs:lake')), 10_000);
    expect((await json(`${url}/readyz`)).body).toMatchObject({
      status: 'ready',
      plugins: { 'floe.catalogs:lake': { state: 'active' } },
    });
    fs.rmSync(tree.path('node_modules', 'lake'), { recursive: true });
    await until(() => served.stderr.some((line) => line.includes('removed floe.catalogs:lake')), 10_000);
    const ready = await json(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.plugins as object)).not.toContain('floe.catalogs:lake');
    served.signals.emit('SIGTERM', 'SIGTERM');
    expect(await served.done).toBe(0);
  });

  it('refuses a port that is not one as a usage error', async () => {
    const bare = PackageTree.create('serve-bare');
    try {
      bare.project({});
      const out: string[] = [];
      const sink = { out: (text: string) => out.push(text), err: () => undefined };
      expect(await main(['serve', '--root', bare.root, '--port', '70000'], sink)).toBe(2);
    } finally {
      bare.remove();
    }
  });
});

describe('floe serve with a plugin refused for its settings', () => {
  let tree: PackageTree;
  beforeAll(() => {
    tree = servedPlatform({ reader: true });
  });
  afterAll(() => tree.remove());

  it('is not ready, naming the refused plugin and the one it blocks; fixing the file under --watch heals it', async () => {
    const config = tree.write('healing.config.yaml', 'plugins:\n  floe.storage:pool:\n    size: 0\n');
    const signals = new EventEmitter();
    const stderr: string[] = [];
    const done = main(
      ['serve', '--root', tree.root, '--port', '0', '--watch', '--config', config],
      { out: () => undefined, err: (text) => stderr.push(text) },
      { signals },
    );
    await until(() => stderr.some((line) => line.startsWith('listening on ')), 10_000);
    const url = (stderr.find((line) => line.startsWith('listening on ')) as string).slice('listening on '.length);
    const first = await settled(url);
    expect(first).toMatchObject({
      status: 503,
      body: {
        status: 'not_ready',
        plugins: {
          'floe.catalogs:reader': { state: 'loaded', reason: 'PLUGIN_SKIPPED', blockedBy: 'floe.storage:pool' },
          'floe.secrets:slow': { state: 'active' },
          'floe.storage:pool': { state: 'failed', reason: 'PLUGIN_CONFIG_INVALID' },
        },
      },
    });
    expect(await text(`${url}/readyz?verbose`)).toContain('[-]floe.storage:pool failed: PLUGIN_CONFIG_INVALID');

    tree.write('healing.config.yaml', 'plugins:\n  floe.storage:pool:\n    size: 4\n');
    await until(() => stderr.some((line) => line.startsWith('applied ')), 10_000);
    expect(stderr.find((line) => line.startsWith('applied '))).toContain(
      'started floe.storage:pool, floe.catalogs:reader',
    );
    expect(
      (
        await eventually(
          () => json(`${url}/readyz`),
          (answer) => answer.status === 200,
        )
      ).status,
    ).toBe(200);

    // The section removed: pool returns to its defaults, restarted.
    tree.write('healing.config.yaml', 'plugins: {}\n');
    await until(() => stderr.filter((line) => line.startsWith('applied ')).length === 2, 10_000);
    expect(stderr.filter((line) => line.startsWith('applied '))[1]).toContain('restarted floe.storage:pool');
    const size = await eventually(
      async () =>
        ((await json(`${url}/healthz`)).body as { plugins: Record<string, { details?: { size?: number } }> }).plugins[
          'floe.storage:pool'
        ]?.details?.size,
      (value) => value === 1,
    );
    expect(size).toBe(1);

    signals.emit('SIGTERM', 'SIGTERM');
    expect(await done).toBe(1); // the first start had failed
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
    expect((await settled(url)).status).toBe(200);
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

  it('started through npm, says that npm may not pass SIGTERM on, and the command that runs it directly', async () => {
    const project = PackageTree.create('serve-npm');
    try {
      project.linkFloeCore();
      project.project({ scripts: { serve: 'floe serve --port 0' } });
      project.link('node_modules/.bin/floe', '../floe-core/bin/floe.js');
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const child = spawn(npm, ['run', 'serve'], { cwd: project.root, detached: true, env: { ...process.env } });
      children.push(child);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      try {
        await until(() => stderr.includes('listening on'), 30_000);
      } finally {
        // npm, its shell and floe: the whole group.
        process.kill(-(child.pid as number), 'SIGKILL');
      }
      await exited;
      expect(stderr).toContain('started through npm or npx, which may not pass SIGTERM on');
      expect(stderr).toContain('Run it directly: node node_modules/floe-core/bin/floe.js serve --port 0');
      expect(stderr).toContain('CMD ["node","node_modules/floe-core/bin/floe.js","serve","--port","0"]');
    } finally {
      project.remove();
    }
  }, 40_000);
});
