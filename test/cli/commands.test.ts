import { brokenPlatform, degradedPlatform, failingPlatform } from '../fixtures/platforms';
import type { PackageTree } from '../support/package-tree';
import { runMain } from '../support/run-main';
import { requireBuild, runFloe } from '../support/run-node';

/* The floe command against platforms written to disk: in this process through main(argv, output). */
describe('floe', () => {
  let broken: PackageTree;
  let failing: PackageTree;
  let degraded: PackageTree;
  beforeAll(() => {
    broken = brokenPlatform();
    failing = failingPlatform();
    degraded = degradedPlatform();
  });
  afterAll(() => {
    for (const tree of [broken, failing, degraded]) tree.remove();
  });

  describe('list', () => {
    it('lists plugins and shows discovery issues, exiting 0', async () => {
      const { code, stdout } = await runMain(['list', '--root', broken.root]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/floe\.secrets\s+good\s+1\.0\.0\s+good-plugin\s+discovered/);
      expect(stdout).toContain('PACKAGE_JSON_INVALID');
      expect(stdout).toContain('broken-json');
    });

    it('prints JSON with plugins and issues', async () => {
      const { code, stdout } = await runMain(['list', '--root', broken.root, '--json']);
      expect(code).toBe(0);
      const result = JSON.parse(stdout);
      expect(result.plugins.map((p: { key: string }) => p.key)).toContain('floe.secrets:good');
      expect(result.issues).toEqual([
        expect.objectContaining({ code: 'PACKAGE_JSON_INVALID', packageName: 'broken-json' }),
      ]);
    });

    it('filters by type given as a group or a name', async () => {
      for (const type of ['floe.secrets', 'Secrets', 'secrets']) {
        const { stdout } = await runMain(['list', '--root', broken.root, '--json', '--type', type]);
        expect(JSON.parse(stdout).plugins.map((p: { key: string }) => p.key)).toEqual(['floe.secrets:good']);
      }
    });

    it('refuses an unknown type as a usage error', async () => {
      const { code, stdout, stderr } = await runMain(['list', '--root', broken.root, '--type', 'floe.nope', '--json']);
      expect(code).toBe(2);
      expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
      expect(stderr).toContain('floe.computes');
    });
  });

  describe('info', () => {
    it('describes a plugin, importing it to read its metadata, schema and configured settings', async () => {
      const { code, stdout } = await runMain(['info', 'floe.computes:configured', '--root', broken.root, '--json']);
      expect(code).toBe(0);
      const { plugin, problems } = JSON.parse(stdout);
      expect(plugin).toMatchObject({
        key: 'floe.computes:configured',
        version: '1.0.0',
        apiVersion: '1.0',
        configSchema: 'Settings',
      });
      expect(plugin.settings).toEqual([{ setting: 'threads', default: 4, rules: ['isInt', 'min(1)'] }]);
      expect(problems).toEqual([
        expect.objectContaining({ code: 'PLUGIN_CONFIG_INVALID', plugin: 'floe.computes:configured' }),
      ]);
    });

    it('prints a readable description', async () => {
      const { code, stdout } = await runMain(['info', 'floe.secrets:good', '--root', broken.root]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Plugin\s+floe\.secrets:good/);
      expect(stdout).toMatch(/Package\s+good-plugin 1\.0\.0/);
    });

    it('describes a plugin that cannot be loaded, with its error', async () => {
      const { code, stdout } = await runMain(['info', 'floe.catalogs:future', '--root', broken.root, '--json']);
      expect(code).toBe(0);
      const { plugin, problems } = JSON.parse(stdout);
      expect(plugin.state).toBe('failed');
      expect(plugin.error.code).toBe('PLUGIN_INCOMPATIBLE');
      expect(problems[0].code).toBe('PLUGIN_INCOMPATIBLE');
    });

    it('exits 1 for an unknown plugin, with JSON on stdout and the reason on stderr', async () => {
      const { code, stdout, stderr } = await runMain(['info', 'floe.computes:nope', '--root', broken.root, '--json']);
      expect(code).toBe(1);
      expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'PLUGIN_NOT_FOUND' } });
      expect(stderr).toContain('floe.computes');
    });

    it('exits 2 for something that is neither a key nor a name', async () => {
      expect((await runMain(['info', 'not a name!', '--root', broken.root])).code).toBe(2);
      expect((await runMain(['info', 'floe.nope:x', '--root', broken.root])).code).toBe(2);
    });

    it('takes a bare name that one plugin alone has, as dependsOn does', async () => {
      const { code, stdout } = await runMain(['info', 'good', '--root', broken.root, '--json']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).plugin.key).toBe('floe.secrets:good');
      expect((await runMain(['info', 'nobody', '--root', broken.root, '--json'])).code).toBe(1);
    });
  });

  describe('graph', () => {
    it('prints a mermaid flowchart by default', async () => {
      const { code, stdout } = await runMain(['graph', '--root', failing.root]);
      expect(code).toBe(0);
      expect(stdout.split('\n')[0]).toBe('flowchart LR');
      expect(stdout).toMatch(/p\d+\["floe\.catalogs:downstream"\]/);
      expect(stdout).toMatch(/p\d+ --> p\d+/);
    });

    it('prints Graphviz DOT', async () => {
      const { stdout } = await runMain(['graph', '--root', failing.root, '--format', 'dot']);
      expect(stdout).toContain('digraph floe {');
      expect(stdout).toContain('"floe.catalogs:downstream" -> "floe.secrets:explodes";');
    });

    it('prints nodes and edges as JSON', async () => {
      const { code, stdout } = await runMain(['graph', '--root', failing.root, '--format', 'json']);
      expect(code).toBe(0);
      const graph = JSON.parse(stdout);
      expect(graph.nodes).toHaveLength(5);
      expect(graph.edges).toEqual([{ from: 'floe.catalogs:downstream', to: 'floe.secrets:explodes' }]);
    });

    it('draws an SVG picture on stdout', async () => {
      const { code, stdout } = await runMain(['graph', '--root', failing.root, '--format', 'svg']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^<svg [^>]*role="img"/);
      expect(stdout).toContain('data-key="floe.catalogs:downstream"');
      expect(stdout.trimEnd().endsWith('</svg>')).toBe(true);
    });

    it('refuses an unknown format as a usage error', async () => {
      expect((await runMain(['graph', '--root', failing.root, '--format', 'png'])).code).toBe(2);
    });
  });

  describe('check', () => {
    it('reports every problem at once and exits 1', async () => {
      const { code, stdout } = await runMain(['check', '--root', broken.root, '--json']);
      expect(code).toBe(1);
      const result = JSON.parse(stdout);
      expect(result.ok).toBe(false);
      expect(
        result.problems
          .map((p: { code: string; plugin?: string; package?: string }) => [p.code, p.plugin ?? p.package])
          .sort(),
      ).toEqual(
        [
          ['DEPENDENCY_MISSING', 'floe.storage:orphan'],
          ['PACKAGE_JSON_INVALID', 'broken-json'],
          ['PLUGIN_CONFIG_INVALID', 'floe.computes:configured'],
          ['PLUGIN_INCOMPATIBLE', 'floe.catalogs:future'],
        ].sort(),
      );
    });

    it('prints problems for people with a verdict', async () => {
      const { code, stdout } = await runMain(['check', '--root', broken.root]);
      expect(code).toBe(1);
      expect(stdout).toContain('Problems (4):');
      expect(stdout).toContain('threads');
      expect(stdout).toMatch(/FAILED: 4 problems\.$/m);
    });

    it('takes the configuration file from --config', async () => {
      const file = broken.write(
        'alt.config.json',
        JSON.stringify({ plugins: { 'floe.computes:configured': { threads: 2 } } }),
      );
      const { stdout } = await runMain(['check', '--root', broken.root, '--config', file, '--json']);
      const codes = JSON.parse(stdout).problems.map((p: { code: string }) => p.code);
      expect(codes).not.toContain('PLUGIN_CONFIG_INVALID');
    });

    it('reports a configuration file it cannot read', async () => {
      const file = broken.write('bad.config.yaml', 'plugins: [\n');
      const { code, stdout } = await runMain(['check', '--root', broken.root, '--config', file, '--json']);
      expect(code).toBe(1);
      expect(JSON.parse(stdout).problems).toContainEqual(expect.objectContaining({ code: 'CONFIG_FILE_INVALID' }));
    });

    it('passes a healthy platform and starts nothing', async () => {
      const { code, stdout } = await runMain(['check', '--root', failing.root]);
      expect(code).toBe(0);
      expect(stdout).toContain('OK: no problems found.');
    });
  });

  describe('doctor', () => {
    it('starts, checks health and shuts down, reporting failures, what they blocked and unhealthy plugins', async () => {
      const { code, stdout } = await runMain(['doctor', '--root', failing.root, '--json']);
      expect(code).toBe(1);
      const result = JSON.parse(stdout);
      expect(result.startup.failed).toEqual([expect.objectContaining({ key: 'floe.secrets:explodes' })]);
      expect(result.startup.skipped).toEqual([{ key: 'floe.catalogs:downstream', blockedBy: 'floe.secrets:explodes' }]);
      expect(result.health['floe.storage:sick'].state).toBe('unhealthy');
      expect(result.health['floe.identity:slow'].state).toBe('degraded');
      expect(result.shutdown.ok).toBe(true);
      // Times are rounded to 0.1 ms.
      const times = [
        result.startup.durationMs,
        ...Object.values(result.startup.timings as Record<string, Record<string, number>>).flatMap((t) => [
          t.startedAt,
          t.endedAt,
          t.durationMs,
        ]),
      ];
      expect(times.length).toBeGreaterThan(3);
      for (const time of times) expect(Math.abs(time * 10 - Math.round(time * 10))).toBeLessThan(1e-9);
      expect(result.problems.map((p: { code: string }) => p.code).sort()).toEqual([
        'PLUGIN_SKIPPED',
        'PLUGIN_STARTUP_FAILED',
        'PLUGIN_UNHEALTHY',
      ]);
    });

    it('prints the timeline, the health table and the shutdown', async () => {
      const { code, stdout } = await runMain(['doctor', '--root', failing.root]);
      expect(code).toBe(1);
      expect(stdout).toMatch(/Startup: 3 plugins live in \d+ ms, 1 failed, 1 skipped/);
      expect(stdout).toContain('vault is sealed');
      expect(stdout).toContain('skipped: floe.secrets:explodes failed');
      expect(stdout).toMatch(/✖\s+floe\.storage:sick\s+unhealthy\s+disk full/);
      expect(stdout).toContain('Shutdown: 3 plugins stopped, 0 failed');
    });

    it('shows each failure’s stack and cause chain with --verbose or FLOE_VERBOSE=1, in text and in JSON', async () => {
      const plain = await runMain(['doctor', '--root', failing.root]);
      expect(plain.stdout).not.toContain('Caused by:');
      const verbose = await runMain(['doctor', '--root', failing.root, '--verbose']);
      expect(verbose.stdout).toMatch(/Caused by: Error: vault is sealed\n\s+at /);
      process.env.FLOE_VERBOSE = '1';
      try {
        const json = await runMain(['doctor', '--root', failing.root, '--json']);
        const failed = JSON.parse(json.stdout).startup.failed[0].error;
        expect(failed).toMatchObject({
          code: 'PLUGIN_STARTUP_FAILED',
          stack: expect.stringContaining('PluginStartupError'),
          cause: { name: 'Error', message: 'vault is sealed', stack: expect.stringMatching(/\n\s+at /) },
        });
        const problem = JSON.parse(json.stdout).problems.find(
          (p: { code: string }) => p.code === 'PLUGIN_STARTUP_FAILED',
        );
        expect(problem.cause).toMatchObject({ message: 'vault is sealed' });
      } finally {
        delete process.env.FLOE_VERBOSE;
      }
      // Without it, JSON errors keep to name, code, message and cause.
      const quiet = JSON.parse((await runMain(['doctor', '--root', failing.root, '--json'])).stdout);
      expect(quiet.startup.failed[0].error.stack).toBeUndefined();
    });

    it('treats a degraded plugin as a warning and exits 0', async () => {
      const { code, stdout } = await runMain(['doctor', '--root', degraded.root]);
      expect(code).toBe(0);
      expect(stdout).toContain('Doctor: OK with 1 degraded plugin (warning).');
      expect(stdout).toContain('Critical path: floe.computes:fine -> floe.identity:slow');
    });
  });

  describe('usage', () => {
    it.each([[['bogus']], [['list', '--nope']], [[]]])('exits 2 for %p', async (args) => {
      expect((await runMain(args)).code).toBe(2);
    });

    it('exits 2 for a root that is not a folder', async () => {
      const { code, stdout } = await runMain(['list', '--root', '/nonexistent/floe', '--json']);
      expect(code).toBe(2);
      expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    });
  });
});

/* The real `floe` command, run as a child process: what only a process can show. */
describe('floe as a child process', () => {
  let degraded: PackageTree;
  beforeAll(() => {
    requireBuild();
    degraded = degradedPlatform();
  });
  afterAll(() => degraded.remove());

  describe('usage', () => {
    it('exits 2 for an unknown command', async () => {
      expect((await runFloe(['bogus'])).code).toBe(2);
    });

    it('prints help and the version, exiting 0', async () => {
      const help = await runFloe(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('doctor');
      const version = await runFloe(['--version']);
      expect(version.code).toBe(0);
      expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    });

    it('keeps stdout valid JSON while logs go to stderr', async () => {
      const { stdout, stderr } = await runFloe(['doctor', '--root', degraded.root, '--json'], {
        env: { FLOE_LOG_LEVEL: 'info' },
      });
      expect(JSON.parse(stdout).ok).toBe(true);
      expect(stderr).toContain('started plugin floe.computes:fine');
    });
  });
});
