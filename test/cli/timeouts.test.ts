import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';
import { runMain } from '../support/run-main';

/* The timeout flags and the config file's `timeouts`, and how timeout messages read. */
describe('floe timeouts', () => {
  let tree: PackageTree;
  beforeAll(() => {
    tree = PackageTree.create('timeouts');
    tree.linkFloeCore();
    tree.project({});
    tree.package('slow', floeField(['floe.secrets', 'slow', './index.js#slowPlugin']), {
      'index.js': pluginModule({
        type: 'floe.secrets',
        name: 'slow',
        body: 'startup(signal) { return new Promise((resolve) => { const t = setTimeout(resolve, 300); signal.addEventListener("abort", () => { clearTimeout(t); resolve(); }); }); }',
      }),
    });
    tree.package('after', floeField(['floe.catalogs', 'after', './index.js#afterPlugin']), {
      'index.js': pluginModule({ type: 'floe.catalogs', name: 'after', dependsOn: ['slow'] }),
    });
  });
  afterAll(() => tree.remove());

  async function doctor(args: string[]) {
    const { code, stdout } = await runMain(['doctor', '--root', tree.root, '--json', ...args]);
    return { code, result: JSON.parse(stdout) };
  }

  it('bounds a slow startup with --startup-timeout, naming the flag and the key in the message', async () => {
    const { code, result } = await doctor(['--startup-timeout', '40']);
    expect(code).toBe(1);
    const failure = result.startup.failed[0];
    expect(failure.key).toBe('floe.secrets:slow');
    expect(failure.error.cause).toMatchObject({ code: 'PLUGIN_TIMEOUT', timeoutMs: 40 });
    expect(failure.error.message).toContain('--startup-timeout');
    expect(failure.error.message).toContain('timeouts.startupMs');
  });

  it('takes timeouts from the config file, and lets the flag win over it', async () => {
    const file = tree.write('short.config.yaml', 'timeouts:\n  startupMs: 40\n');
    expect((await doctor(['--config', file])).result.startup.failed[0].error.cause.timeoutMs).toBe(40);
    const winning = await doctor(['--config', file, '--startup-timeout', '5000']);
    expect(winning.code).toBe(0);
    expect(winning.result.startup.started).toEqual(['floe.secrets:slow', 'floe.catalogs:after']);
  });

  it('prints a timeout with its blocked plugins without stray punctuation', async () => {
    const { stdout } = await runMain(['doctor', '--root', tree.root, '--startup-timeout', '40']);
    expect(stdout).toMatch(/\); blocked floe\.catalogs:after/);
    expect(stdout).not.toContain('.; blocked');
  });

  it.each([['0'], ['-5'], ['1.5'], ['soon'], ['9999999999']])(
    'refuses --startup-timeout %s as a usage error',
    async (value) => {
      const { code, stdout } = await runMain(['check', '--root', tree.root, '--json', '--startup-timeout', value]);
      expect(code).toBe(2);
      expect(JSON.parse(stdout).error.message).toContain('--startup-timeout');
    },
  );

  it('reports timeouts in the config file that are not milliseconds at their value', async () => {
    const file = tree.write('bad.config.yaml', 'timeouts:\n  startupMs: fast\n');
    const { code, stdout } = await runMain(['check', '--root', tree.root, '--json', '--config', file]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).problems[0]).toMatchObject({ code: 'CONFIG_FILE_INVALID' });
    expect(JSON.parse(stdout).problems[0].message).toContain(`${file}:2:14:`);
  });

  it('refuses to serve on a port that is taken', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as AddressInfo;
      const { code, stderr } = await runMain(['serve', '--root', tree.root, '--port', String(port)]);
      // Taken: exit 1 at once, nothing started (the port is bound before anything else).
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is taken; nothing was started`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
