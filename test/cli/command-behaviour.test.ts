import { PluginRegistry } from '../../src';
import { main } from '../../src/cli/main';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';
import { requireBuild, runFloe } from '../support/run-node';

/** A platform whose plugins write to stdout, leave a timer and a socket open, and count their shutdowns. */
function unrulyPlatform(): PackageTree {
  const tree = PackageTree.create('unruly');
  tree.linkFloeCore();
  tree.project({});
  tree.package('chatty', floeField(['floe.secrets', 'chatty', './index.js#chattyPlugin']), {
    'index.js': pluginModule({
      type: 'floe.secrets',
      name: 'chatty',
      body: [
        "startup() { console.log('chatty is starting'); process.stdout.write('raw chatter\\n'); }",
        'healthCheck() { console.log(\'health!\'); return { state: "healthy", message: "", details: {} }; }',
        'shutdown() { globalThis.__chattyStops = (globalThis.__chattyStops || 0) + 1; }',
      ].join('\n'),
    }),
  });
  tree.package('leaky', floeField(['floe.storage', 'leaky', './index.js#leakyPlugin']), {
    'index.js': pluginModule({
      type: 'floe.storage',
      name: 'leaky',
      body: [
        'startup() {',
        '  if (!process.env.LEAK) return;',
        '  setInterval(() => undefined, 1000);',
        "  return new Promise((resolve) => require('node:net').createServer().listen(0, '127.0.0.1', resolve));",
        '}',
      ].join('\n'),
    }),
  });
  return tree;
}

describe('floe as a child process, with unruly plugins', () => {
  let tree: PackageTree;
  beforeAll(() => {
    requireBuild();
    tree = unrulyPlatform();
  });
  afterAll(() => tree.remove());

  it('keeps stdout to the JSON document while plugins write to stdout, sending their output to stderr', async () => {
    const { code, stdout, stderr } = await runFloe(['doctor', '--root', tree.root, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).ok).toBe(true);
    expect(stderr).toContain('chatty is starting');
    expect(stderr).toContain('raw chatter');
    expect(stderr).toContain('health!');
  });

  it('exits once its report is written, although a plugin left a timer and a socket open', async () => {
    const { code, stdout } = await runFloe(['doctor', '--root', tree.root, '--json'], { env: { LEAK: '1' } });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).startup.started).toContain('floe.storage:leaky');
  });
});

describe('floe in this process', () => {
  let tree: PackageTree;
  beforeAll(() => {
    tree = unrulyPlatform();
  });
  afterAll(() => tree.remove());

  it('shows progress on a terminal, and clears it before printing the report', async () => {
    const terminal: string[] = [];
    const out: string[] = [];
    const code = await main(['doctor', '--root', tree.root], {
      out: (text) => out.push(text),
      err: () => undefined,
      terminal: (text) => terminal.push(text),
    });
    expect(code).toBe(0);
    const shown = terminal.join('');
    expect(shown).toMatch(/… (loading|starting) floe\.secrets:chatty \(\d+\.\d s\)/);
    expect(shown).toContain('checking floe.secrets:chatty');
    expect(shown).toContain('stopping floe.secrets:chatty');
    expect(terminal[terminal.length - 1]).toBe('\r\u001b[K');
    expect(out.join('\n')).not.toContain('…');
  });

  it('shows no progress with --json, nor without a terminal', async () => {
    const terminal: string[] = [];
    await main(['doctor', '--root', tree.root, '--json'], {
      out: () => undefined,
      err: () => undefined,
      terminal: (text) => terminal.push(text),
    });
    expect(terminal).toEqual([]);
  });

  it('stops what it started before reporting an unexpected error', async () => {
    const stopsBefore = ((globalThis as { __chattyStops?: number }).__chattyStops ?? 0) as number;
    const health = jest
      .spyOn(PluginRegistry.prototype, 'healthCheckAll')
      .mockRejectedValue(new Error('probe exploded'));
    try {
      const out: string[] = [];
      const code = await main(['doctor', '--root', tree.root, '--json'], {
        out: (text) => out.push(text),
        err: () => undefined,
      });
      expect(code).toBe(1);
      expect(JSON.parse(out.join('\n'))).toMatchObject({
        ok: false,
        error: { code: 'UNEXPECTED_ERROR', message: 'probe exploded' },
      });
      expect((globalThis as { __chattyStops?: number }).__chattyStops).toBe(stopsBefore + 1);
    } finally {
      health.mockRestore();
    }
  });
});
