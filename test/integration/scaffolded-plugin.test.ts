import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PackageTree } from '../support/package-tree';
import { runMain } from '../support/run-main';
import { REPO_ROOT, requireBuild } from '../support/run-node';

// The first hour as printed: `floe new plugin` writes a package whose README steps are run here as written,
// with the real npm, while floe-core is on no registry (its dev dependency is this checkout's folder).

/** npm as a newcomer runs it; cached packages first, and nothing asked of the network that it doesn't need. */
const NPM_ENV = {
  ...process.env,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  FLOE_LOG_LEVEL: 'error',
};

/** The commands of each ```sh block of a README, comments removed. */
function shellBlocks(readme: string): string[][] {
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) =>
    block[1]
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== ''),
  );
}

function sh(commands: string[], cwd: string) {
  const result = spawnSync('sh', ['-c', ['set -e', ...commands].join('\n')], {
    cwd,
    env: NPM_ENV,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('a scaffolded plugin, installed and tested with npm as its README says', () => {
  let tree: PackageTree;
  beforeAll(() => {
    requireBuild();
    tree = PackageTree.create('scaffold');
  });
  afterAll(() => tree.remove());

  it('installs floe-core from the folder that generated it, passes its tests, and installs into a platform', async () => {
    const dir = tree.path('floe-plugin-lake');
    expect((await runMain(['new', 'plugin', 'Catalog', 'lake', '--dir', dir])).code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest.devDependencies['floe-core']).toBe(`file:${path.relative(dir, REPO_ROOT)}`);
    expect(manifest.peerDependencies['floe-core']).toBe('^0.1.0');
    expect(fs.readFileSync(path.join(dir, '.npmrc'), 'utf8')).toContain('install-links=true');
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const [install, platform] = shellBlocks(readme);
    expect(install).toEqual(['npm install', 'npm test']);

    const tested = sh(install, dir);
    expect(tested.output).toMatch(/# pass 2\b/);
    expect(tested.output).not.toMatch(/DUPLICATE_LIBRARY|ERR!/);
    expect(tested.code).toBe(0);
    // floe-core is a packed copy, not a link to the checkout and its node_modules.
    expect(fs.lstatSync(path.join(dir, 'node_modules', 'floe-core')).isSymbolicLink()).toBe(false);

    // A platform that depends on floe-core (from the same folder) installs the plugin as printed.
    tree.write(
      'my-platform/package.json',
      JSON.stringify({
        name: 'my-platform',
        version: '1.0.0',
        private: true,
        dependencies: { 'floe-core': `file:${REPO_ROOT}` },
      }),
    );
    tree.write('my-platform/.npmrc', 'install-links=true\n');
    expect(platform).toEqual([
      'cd ../my-platform',
      'npm install --install-links ../floe-plugin-lake',
      'npx floe check',
    ]);
    const checked = sh(platform, dir);
    expect(checked.output).toContain('floe.catalogs:lake');
    expect(checked.output).not.toContain('DUPLICATE_LIBRARY');
    expect(checked.code).toBe(0);
  });
});
