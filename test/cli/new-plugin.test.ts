import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLUGIN_TYPES, PluginError, PluginType } from '../../src';
import { pluginFiles } from '../../src/cli/plugin-template';
import { PackageTree } from '../support/package-tree';
import { runMain } from '../support/run-main';
import { REPO_ROOT, requireBuild, runFloe } from '../support/run-node';

const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Links what a generated package would install (floe-core, its peers, TypeScript's types) from this checkout. */
function installDependencies(tree: PackageTree, dir: string): void {
  const at = (name: string) => path.relative(tree.root, path.join(dir, 'node_modules', name));
  tree.link(at('floe-core'), REPO_ROOT);
  for (const name of ['inversify', 'reflect-metadata', 'class-validator', 'class-transformer', '@types/node'])
    tree.link(at(name), path.join(REPO_ROOT, 'node_modules', name));
  for (const scoped of fs.readdirSync(path.join(REPO_ROOT, 'node_modules', '@inversifyjs')))
    tree.link(at(`@inversifyjs/${scoped}`), path.join(REPO_ROOT, 'node_modules', '@inversifyjs', scoped));
}

function run(command: string, args: string[], cwd: string) {
  return spawnSync(process.execPath, [command, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
}

describe('floe new plugin', () => {
  let tree: PackageTree;
  beforeAll(() => {
    requireBuild();
    tree = PackageTree.create('new-plugin');
  });
  afterAll(() => tree.remove());

  it.each([
    ['a CommonJS', 'cjs', []],
    ['an ES module', 'esm', ['--esm']],
  ])('writes %s package that builds and passes its own test offline', async (_label, folder, flags) => {
    const dir = tree.path(folder);
    const { code, stdout } = await runMain(['new', 'plugin', 'Compute', `duck-${folder}`, '--dir', dir, ...flags]);
    expect(code).toBe(0);
    expect(stdout).toContain('npm install && npm test');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest.floe.plugins['floe.computes'][`duck-${folder}`]).toBe(
      `./dist/src/index.js#Duck${folder[0].toUpperCase()}${folder.slice(1)}Plugin`,
    );
    expect(manifest.peerDependencies['floe-core']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(manifest.type).toBe(folder === 'esm' ? 'module' : undefined);
    // The tsconfig is the one the quickstart recommends, plus what a published package needs.
    const quickstart = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'quickstart.md'), 'utf8');
    const recommended = JSON.parse(/```json\n(\{[^`]*"moduleResolution"[^`]*)```/.exec(quickstart)?.[1] ?? '{}');
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
    expect(written.compilerOptions).toMatchObject(recommended.compilerOptions);
    installDependencies(tree, dir);
    const build = run(TSC, ['-p', 'tsconfig.json'], dir);
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
    const test = spawnSync(process.execPath, ['--test', 'dist/test/plugin.test.js'], { cwd: dir, encoding: 'utf8' });
    expect(test.stdout).toContain('# pass 2');
    expect(test.status).toBe(0);

    // A project that installs the package finds and checks its plugin.
    const project = tree.path(`${folder}-project`);
    tree.project({});
    fs.mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'platform', version: '1.0.0' }));
    fs.symlinkSync(dir, path.join(project, 'node_modules', `floe-plugin-duck-${folder}`));
    fs.symlinkSync(REPO_ROOT, path.join(project, 'node_modules', 'floe-core'));
    const check = await runFloe(['check', '--root', project, '--json']);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, plugins: [{ key: `floe.computes:duck-${folder}` }] });
    expect(check.code).toBe(0);
  });

  it('writes a plugin of each of the eleven types that compiles, each unwritten member throwing NOT_IMPLEMENTED', async () => {
    const all = tree.path('all');
    for (const type of PLUGIN_TYPES) {
      const name = `x-${type.slice('floe.'.length).replace(/_/g, '-')}`;
      expect((await runMain(['new', 'plugin', type, name, '--dir', path.join(all, name)])).code).toBe(0);
    }
    installDependencies(tree, all);
    fs.writeFileSync(
      path.join(all, 'tsconfig.json'),
      JSON.stringify({
        extends: './x-computes/tsconfig.json',
        compilerOptions: { rootDir: '.', outDir: 'dist' },
        include: ['*/src'],
      }),
    );
    const build = run(TSC, ['-p', 'tsconfig.json'], all);
    expect(build.stdout + build.stderr).toBe('');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled plugin is loaded by path
    const { XComputesPlugin } = require(path.join(all, 'dist', 'x-computes', 'src', 'index.js')) as {
      XComputesPlugin: new (settings: object) => { getRequiredDbtPackages(): unknown; isSelfHosted: boolean };
    };
    const plugin = new XComputesPlugin({ poolSize: 1 });
    for (const call of [() => plugin.getRequiredDbtPackages(), () => plugin.isSelfHosted]) {
      try {
        call();
        throw new Error('expected NOT_IMPLEMENTED');
      } catch (error) {
        expect(PluginError.is(error, 'NOT_IMPLEMENTED')).toBe(true);
        expect((error as Error).message).toContain('XComputesPlugin.');
      }
    }
  });

  it('asks for the registry version range, with no .npmrc, when floe-core came from a registry', () => {
    const files = pluginFiles({
      type: PluginType.Compute,
      name: 'duckdb',
      esm: false,
      dir: tree.path('registry'),
      floeCore: { kind: 'registry', range: '^0.4.0' },
      floeVersion: '0.4.0',
      peers: { inversify: '^8.2.3' },
      typescript: '^6.0.3',
    });
    const manifest = JSON.parse(files['package.json']);
    expect(manifest.devDependencies).toMatchObject({ 'floe-core': '^0.4.0', inversify: '^8.2.3' });
    expect(manifest.allowScripts).toBeUndefined();
    expect(files['.npmrc']).toBeUndefined();
    expect(files['README.md']).not.toContain('file:');
    expect(files['README.md']).toContain('npm install --install-links ../registry');
  });

  it('points a file: dependency at the folder, relative to the package, and lets npm run its prepare', () => {
    const files = pluginFiles({
      type: PluginType.Compute,
      name: 'duckdb',
      esm: false,
      dir: tree.path('work', 'duckdb'),
      floeCore: { kind: 'folder', folder: tree.path('src', 'floe-core') },
      floeVersion: '0.4.0',
      peers: {},
      typescript: '^6.0.3',
    });
    const manifest = JSON.parse(files['package.json']);
    expect(manifest.devDependencies['floe-core']).toBe('file:../../src/floe-core');
    expect(manifest.peerDependencies['floe-core']).toBe('^0.4.0');
    expect(manifest.allowScripts).toEqual({ [`file:${tree.path('src', 'floe-core')}`]: true });
    expect(files['.npmrc']).toMatch(/^install-links=true$/m);
    expect(files['README.md']).toContain('(`file:../../src/floe-core`)');
  });

  it.each([
    [['new', 'plugin', 'floe.nope', 'x']],
    [['new', 'plugin', 'Compute', 'not a name']],
    [['new', 'plugin', 'Compute']],
  ])('refuses %p as a usage error', async (args) => {
    expect((await runMain(args)).code).toBe(2);
  });

  it('refuses a folder that is not empty', async () => {
    const dir = tree.path('taken');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'file'), '');
    const { code, stderr } = await runMain(['new', 'plugin', 'Compute', 'duckdb', '--dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('not empty');
  });
});
