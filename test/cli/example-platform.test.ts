import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, requireBuild, runFloe } from '../support/run-node';

const example = path.join(REPO_ROOT, 'examples', 'platform');

/* The example platform, installed from the repository alone, as the README's main command runs it. */
describe('the example platform', () => {
  beforeAll(async () => {
    requireBuild();
    await promisify(execFile)('npm', ['run', '--silent', 'example:install'], { cwd: REPO_ROOT, timeout: 120_000 });
  }, 180_000);

  it('passes floe doctor: every plugin starts healthy in dependency order and stops', async () => {
    const { code, stdout } = await runFloe(['doctor', '--root', example, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(true);
    expect(result.check.plugins).toHaveLength(5);
    expect(result.startup.started).toHaveLength(5);
    expect(result.startup.criticalPath).toEqual(['floe.secrets:env', 'floe.catalogs:polaris', 'floe.computes:duckdb']);
    expect(Object.values(result.health).every((status) => (status as { state: string }).state === 'healthy')).toBe(
      true,
    );
    expect(result.shutdown.stopped).toHaveLength(5);
    expect(result.shutdown.stopped.indexOf('floe.computes:duckdb')).toBeLessThan(
      result.shutdown.stopped.indexOf('floe.catalogs:polaris'),
    );
  });

  it('reads its floe.config.yaml', async () => {
    const { stdout } = await runFloe(['info', 'floe.computes:duckdb', '--root', example, '--json']);
    expect(JSON.parse(stdout).plugin.config).toEqual({ threads: 4, path: '/tmp/floe-demo.duckdb' });
  });
});
