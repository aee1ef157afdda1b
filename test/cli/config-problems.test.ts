import { invalidConfigPlatform } from '../fixtures/platforms';
import type { PackageTree } from '../support/package-tree';
import { runMain } from '../support/run-main';

/* A platform whose config file refuses one plugin's settings: what check and doctor make of it. */
describe('floe with a plugin whose settings are refused', () => {
  let tree: PackageTree;
  beforeAll(() => {
    tree = invalidConfigPlatform();
  });
  afterAll(() => tree.remove());

  it('check shows the problem at the line and column of the offending value, in text and JSON', async () => {
    const { code, stdout } = await runMain(['check', '--root', tree.root, '--json']);
    expect(code).toBe(1);
    const file = tree.path('floe.config.yaml');
    expect(JSON.parse(stdout).problems).toEqual([
      expect.objectContaining({
        code: 'PLUGIN_CONFIG_INVALID',
        plugin: 'floe.computes:bad',
        path: `${file}:5:14`,
        issues: [
          { path: 'threads', constraint: 'min', message: '"threads" must be at least 1, not -1', line: 5, column: 14 },
        ],
      }),
    ]);
    const human = await runMain(['check', '--root', tree.root]);
    expect(human.stdout).toContain(`threads (${file}:5:14): "threads" must be at least 1, not -1 [min]`);
  });

  it('applies the rest of a file whose default names an unknown plugin, reporting the default', async () => {
    const file = tree.write(
      'with-default.config.yaml',
      'defaults:\n  floe.computes: nowhere\nplugins:\n  floe.storage:good:\n    threads: 3\n  floe.computes:bad:\n    threads: 0\n',
    );
    const { code, stdout } = await runMain(['doctor', '--root', tree.root, '--json', '--config', file]);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.problems.map((p: { code: string; plugin: string }) => [p.code, p.plugin])).toEqual([
      ['PLUGIN_CONFIG_INVALID', 'floe.computes:bad'],
      ['PLUGIN_NOT_FOUND', 'floe.computes:nowhere'],
      ['PLUGIN_SKIPPED', 'floe.catalogs:needs-bad'],
    ]);
    expect(result.startup.started).toEqual(['floe.storage:good']);
  });

  it('doctor does not start it: it is failed, what needs it skipped, and the rest runs with its settings', async () => {
    const { code, stdout } = await runMain(['doctor', '--root', tree.root, '--json']);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.startup.started).toEqual(['floe.storage:good']);
    expect(result.startup.failed).toEqual([
      expect.objectContaining({
        key: 'floe.computes:bad',
        error: expect.objectContaining({ code: 'PLUGIN_CONFIG_INVALID' }),
      }),
    ]);
    expect(result.startup.skipped).toEqual([{ key: 'floe.catalogs:needs-bad', blockedBy: 'floe.computes:bad' }]);
    expect(Object.keys(result.health)).toEqual(['floe.storage:good']);
    expect(result.problems.map((p: { code: string; plugin: string }) => [p.code, p.plugin])).toEqual([
      ['PLUGIN_CONFIG_INVALID', 'floe.computes:bad'],
      ['PLUGIN_SKIPPED', 'floe.catalogs:needs-bad'],
    ]);
  });
});
