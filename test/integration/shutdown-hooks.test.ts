import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createSilentLogger, enableShutdownHooks } from '../../src';
import { deferred, until } from '../support/lifecycle-fixtures';
import { REPO_ROOT, requireBuild } from '../support/run-node';

const logger = createSilentLogger();

describe('enableShutdownHooks', () => {
  it('stops plugins once on the first signal and exits 0 when all stopped cleanly', async () => {
    const shutdownAll = jest.fn(async () => ({ ok: true, failed: [] }));
    const exit = jest.fn();
    const listenersBefore = process.listenerCount('SIGTERM');
    enableShutdownHooks({ shutdownAll }, { logger, exit, signals: ['SIGTERM'] });
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore + 1);
    process.emit('SIGTERM', 'SIGTERM');
    await until(() => exit.mock.calls.length > 0);
    expect(shutdownAll).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
  });

  it('exits 1 when a plugin failed to stop', async () => {
    const exit = jest.fn();
    enableShutdownHooks(
      { shutdownAll: async () => ({ ok: false, failed: [{ key: 'k', error: new Error('x') }] }) },
      { logger, exit, signals: ['SIGINT'] },
    );
    process.emit('SIGINT', 'SIGINT');
    await until(() => exit.mock.calls.length > 0);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('exits at once on a second signal, and only once: the first shutdown finishing later exits nothing', async () => {
    const never = deferred<{ ok: boolean; failed: [] }>();
    const exit = jest.fn();
    const set = jest.spyOn(global, 'setTimeout');
    const clear = jest.spyOn(global, 'clearTimeout');
    try {
      enableShutdownHooks(
        { shutdownAll: () => never.promise },
        { logger, exit, signals: ['SIGTERM'], budgetMs: 60_000 },
      );
      process.emit('SIGTERM', 'SIGTERM');
      const budget = set.mock.results.find((_result, i) => set.mock.calls[i][1] === 60_000)?.value;
      expect(budget).toBeDefined();
      process.emit('SIGTERM', 'SIGTERM');
      expect(exit.mock.calls).toEqual([[1]]);
      // The budget timer was cleared on the forced exit, so nothing keeps the process alive.
      expect(clear).toHaveBeenCalledWith(budget);
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
    never.resolve({ ok: true, failed: [] });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(exit.mock.calls).toEqual([[1]]);
  });

  it('exits once with 1 when the budget runs out, and not again when the shutdown ends later', async () => {
    jest.useFakeTimers();
    try {
      const late = deferred<{ ok: boolean; failed: [] }>();
      const exit = jest.fn();
      enableShutdownHooks({ shutdownAll: () => late.promise }, { logger, exit, signals: ['SIGTERM'], budgetMs: 100 });
      process.emit('SIGTERM', 'SIGTERM');
      await jest.advanceTimersByTimeAsync(100);
      expect(exit.mock.calls).toEqual([[1]]);
      late.resolve({ ok: true, failed: [] });
      await jest.advanceTimersByTimeAsync(0);
      expect(exit.mock.calls).toEqual([[1]]);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('clears its budget timer when the shutdown finishes first', async () => {
    jest.useFakeTimers();
    try {
      const exit = jest.fn();
      enableShutdownHooks(
        { shutdownAll: async () => ({ ok: true, failed: [] }) },
        { logger, exit, signals: ['SIGTERM'], budgetMs: 60_000 },
      );
      process.emit('SIGTERM', 'SIGTERM');
      await jest.advanceTimersByTimeAsync(0);
      expect(exit.mock.calls).toEqual([[0]]);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('removes its listeners when disposed', () => {
    const before = process.listenerCount('SIGTERM');
    const dispose = enableShutdownHooks(
      { shutdownAll: async () => ({ ok: true, failed: [] }) },
      { logger, exit: jest.fn() },
    );
    dispose();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});

describe('enableShutdownHooks in a real process', () => {
  beforeAll(requireBuild);

  const script = `
    const { PluginRegistry, PluginMetadata, FloePlugin, enableShutdownHooks, createSilentLogger } = require(process.env.FLOE_CORE);
    class Slow extends PluginMetadata {
      async shutdown() {
        await new Promise((resolve) => setTimeout(resolve, Number(process.env.STOP_MS)));
        process.stdout.write('stopped\\n');
      }
    }
    FloePlugin({ type: 'floe.computes', name: 'slow', version: '1.0.0', apiVersion: '1.0' })(Slow);
    const registry = new PluginRegistry({ rootDir: process.cwd(), logger: createSilentLogger() });
    registry.register(Slow);
    registry.get('floe.computes', 'slow').then(() => {
      enableShutdownHooks(registry, { budgetMs: Number(process.env.BUDGET_MS), logger: createSilentLogger() });
      setInterval(() => undefined, 1000);
      process.stdout.write('ready\\n');
    });`;

  function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], {
        cwd: REPO_ROOT,
        env: { ...process.env, FLOE_CORE: path.join(REPO_ROOT, 'dist', 'index.js'), ...env },
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('ready') && !child.killed) child.kill('SIGTERM');
      });
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stdout }));
    });
  }

  it('stops the plugins on SIGTERM, then exits 0', async () => {
    const { code, stdout } = await run({ STOP_MS: '20', BUDGET_MS: '10000' });
    expect(stdout).toBe('ready\nstopped\n');
    expect(code).toBe(0);
  });

  it('exits 1 when the shutdown outlasts its budget', async () => {
    const { code, stdout } = await run({ STOP_MS: '60000', BUDGET_MS: '100' });
    expect(stdout).toBe('ready\n');
    expect(code).toBe(1);
  });
});
