import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSilentLogger, PluginRegistry } from '../../src';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';
import { runMain } from '../support/run-main';
import { REPO_ROOT, requireBuild } from '../support/run-node';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  files: string[];
};

describe('the package', () => {
  beforeAll(requireBuild);

  it('builds itself when installed from a folder or a git URL, and before it is packed, unless dist/ is current', () => {
    expect(manifest.scripts.prepare).toBe('node scripts/prepare.js');
    const tree = PackageTree.create('prepare');
    try {
      // A stand-in package whose build writes dist/index.js, prepared by the project's own script.
      tree.write('scripts/prepare.js', fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'prepare.js'), 'utf8'));
      tree.write(
        'package.json',
        JSON.stringify({
          scripts: {
            build: `node -e "require('fs').mkdirSync('dist',{recursive:true});require('fs').appendFileSync('dist/index.js','built\\n')"`,
          },
        }),
      );
      tree.write('src/index.ts', 'export {};');
      const prepare = () =>
        execFileSync(process.execPath, ['scripts/prepare.js'], { cwd: tree.root, encoding: 'utf8' });
      prepare();
      expect(fs.readFileSync(tree.path('dist/index.js'), 'utf8')).toBe('built\n');
      expect(prepare()).toContain('up to date');
      expect(fs.readFileSync(tree.path('dist/index.js'), 'utf8')).toBe('built\n');
      const later = new Date(Date.now() + 5_000);
      fs.utimesSync(tree.path('src/index.ts'), later, later);
      prepare();
      expect(fs.readFileSync(tree.path('dist/index.js'), 'utf8')).toBe('built\nbuilt\n');
    } finally {
      tree.remove();
    }
  });

  it('shares one copy of inversify, class-validator, class-transformer and reflect-metadata: peers, not dependencies', () => {
    for (const library of ['inversify', 'class-validator', 'class-transformer', 'reflect-metadata']) {
      expect(manifest.peerDependencies[library]).toBeDefined();
      expect(manifest.devDependencies[library]).toBe(manifest.peerDependencies[library]);
      expect(manifest.dependencies[library]).toBeUndefined();
    }
  });

  it('packs dist with source maps that carry their sources, the testing entry and the Jest preset', () => {
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const files = (JSON.parse(output) as { files: { path: string }[] }[])[0].files.map((file) => file.path);
    for (const file of [
      'dist/index.js',
      'dist/index.js.map',
      'dist/index.d.ts',
      'dist/testing/index.js',
      'dist/cli/main.js',
      'bin/floe.js',
      'jest-preset.js',
      'jest-transform.js',
      'src/index.ts',
    ])
      expect(files).toContain(file);
    expect(files.some((file) => file.startsWith('test/'))).toBe(false);
    const map = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'index.js.map'), 'utf8')) as {
      sources: string[];
      sourcesContent?: string[];
    };
    expect(map.sourcesContent?.[0]).toContain('export { PluginRegistry }');
  });
});

describe('a plugin package with its own copy of a shared library', () => {
  let tree: PackageTree;
  beforeAll(() => {
    tree = PackageTree.create('duplicate-library');
    tree.linkFloeCore();
    tree.linkDependency('class-validator');
    tree.project({});
    tree.package('own-copy', floeField(['floe.secrets', 'copy', './index.js#copyPlugin']), {
      'index.js': pluginModule({ type: 'floe.secrets', name: 'copy' }),
      'node_modules/class-validator/package.json': JSON.stringify({ name: 'class-validator', version: '0.13.0' }),
    });
    tree.package('shared', floeField(['floe.storage', 'shared', './index.js#sharedPlugin']), {
      'index.js': pluginModule({ type: 'floe.storage', name: 'shared' }),
    });
  });
  afterAll(() => tree.remove());

  it('is reported by discovery as DUPLICATE_LIBRARY naming both copies, and the other packages are not', () => {
    const report = new PluginRegistry({ rootDir: tree.root, logger: createSilentLogger() }).discoverAll();
    expect(report.issues).toEqual([expect.objectContaining({ code: 'DUPLICATE_LIBRARY', packageName: 'own-copy' })]);
    const message = report.issues[0].message;
    expect(message).toContain(tree.path('node_modules/own-copy/node_modules/class-validator'));
    expect(message).toContain(fs.realpathSync(path.join(REPO_ROOT, 'node_modules', 'class-validator')));
    expect(message).toContain('Make class-validator a peer dependency of own-copy (not a dependency) and reinstall.');
    expect(message).not.toContain('--install-links');
  });

  it('names every copy of a folder installed as a link, with the fix for a folder: install it packed', () => {
    const linked = PackageTree.create('linked-folder');
    try {
      linked.linkFloeCore();
      for (const library of ['class-validator', 'inversify']) linked.linkDependency(library);
      linked.project({});
      // The plugin's own folder, outside node_modules, with its development install of two shared libraries.
      linked.write(
        'work/lake/package.json',
        JSON.stringify({
          name: 'lake',
          version: '1.0.0',
          ...floeField(['floe.catalogs', 'lake', './index.js#lakePlugin']),
        }),
      );
      linked.write('work/lake/index.js', pluginModule({ type: 'floe.catalogs', name: 'lake' }));
      for (const library of ['class-validator', 'inversify'])
        linked.write(
          `work/lake/node_modules/${library}/package.json`,
          JSON.stringify({ name: library, version: '1.0.0' }),
        );
      linked.link('node_modules/lake', linked.path('work/lake'));
      const report = new PluginRegistry({ rootDir: linked.root, logger: createSilentLogger() }).discoverAll();
      expect(report.issues.map((issue) => [issue.code, issue.packageName])).toEqual([['DUPLICATE_LIBRARY', 'lake']]);
      const { message } = report.issues[0];
      expect(message).toContain(`inversify (${linked.path('work/lake/node_modules/inversify')}, the platform's is`);
      expect(message).toContain(`class-validator (${linked.path('work/lake/node_modules/class-validator')}`);
      expect(message).toContain(`npm install --install-links ${linked.path('work/lake')}`);
      expect(message).toContain(`or remove ${linked.path('work/lake/node_modules')}`);
      expect(message).not.toContain('peer');
    } finally {
      linked.remove();
    }
  });

  it('fails floe check', async () => {
    const { code, stdout } = await runMain(['check', '--root', tree.root, '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).problems.map((p: { code: string }) => p.code)).toEqual(['DUPLICATE_LIBRARY']);
  });
});

describe('tests in a project that uses floe-core', () => {
  let project: PackageTree;
  beforeAll(() => {
    requireBuild();
    project = PackageTree.create('test-runners');
    project.project({ jest: { preset: 'floe-core' } });
    project.linkFloeCore();
    for (const library of ['inversify', 'reflect-metadata', 'class-validator', 'class-transformer'])
      project.linkDependency(library);
    for (const scoped of fs.readdirSync(path.join(REPO_ROOT, 'node_modules', '@inversifyjs')))
      project.linkDependency(`@inversifyjs/${scoped}`);
    project.write(
      'node_modules/esm-plugin/package.json',
      JSON.stringify({
        name: 'esm-plugin',
        version: '1.0.0',
        type: 'module',
        ...floeField(['floe.secrets', 'esm', './index.js#EsmPlugin']),
      }),
    );
    project.write(
      'node_modules/esm-plugin/index.js',
      [
        "import { FloePlugin, PluginMetadata } from 'floe-core';",
        'export class EsmPlugin extends PluginMetadata {',
        "  healthCheck() { return { state: 'healthy', message: 'esm', details: {} }; }",
        '}',
        "FloePlugin({ type: 'floe.secrets', name: 'esm', version: '1.0.0', apiVersion: '1.0' })(EsmPlugin);",
      ].join('\n'),
    );
    const body = [
      "const { PluginType } = require('floe-core');",
      "const { createTestRegistry } = require('floe-core/testing');",
      "const { Container } = require('inversify');",
      'async function check(assertEqual) {',
      "  assertEqual(typeof Container, 'function');",
      '  const registry = createTestRegistry({ rootDir: __dirname, discover: true });',
      "  const plugin = await registry.get(PluginType.Secrets, 'esm');",
      "  assertEqual(plugin.name, 'esm');",
      "  assertEqual((await registry.healthCheckAll())['floe.secrets:esm'].message, 'esm');",
      '  await registry.shutdownAll();',
      '}',
    ].join('\n');
    project.write('jest.test.js', `${body}\ntest('works under Jest', () => check((a, b) => expect(a).toBe(b)));\n`);
    project.write(
      'node.test.js',
      `${body}\nconst test = require('node:test');\nconst assert = require('node:assert');\ntest('works under node:test', () => check(assert.strictEqual));\n`,
    );
  });
  afterAll(() => project.remove());

  function jest(args: string[] = []) {
    return spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--rootDir',
        project.root,
        '--testMatch',
        '**/jest.test.js',
        ...args,
      ],
      {
        cwd: project.root,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      },
    );
  }

  it('loads Inversify and ES module plugin packages under Jest with preset: floe-core', () => {
    const result = jest();
    expect(result.stderr).toContain('1 passed');
    expect(result.status).toBe(0);
  });

  it('fails under Jest without the preset, as Inversify ships only ES modules', () => {
    const result = jest(['--config', '{}']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Must use import to load ES Module');
  });

  it('works under node:test with no set-up', () => {
    const result = spawnSync(process.execPath, ['--test', 'node.test.js'], { cwd: project.root, encoding: 'utf8' });
    expect(result.stdout).toContain('# pass 1');
    expect(result.status).toBe(0);
  });
});

/** A code block of a docs page: the first of `language` whose text contains `marker`. */
function docsBlock(page: string, language: string, marker: string): string {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'docs', page), 'utf8');
  for (const [, lang, code] of text.matchAll(/^```(\w*)[^\n]*\n([\s\S]*?)^```$/gm)) {
    if (lang === language && code.includes(marker)) return code;
  }
  throw new Error(`docs/${page} has no ${language} block with ${marker}`);
}

describe('the Jest setup the docs give, with the tsconfig they recommend', () => {
  let project: PackageTree;
  beforeAll(() => {
    requireBuild();
    project = PackageTree.create('docs-jest');
    const jestConfig = JSON.parse(docsBlock('testing.md', 'json', '"preset": "floe-core"')) as { jest: object };
    project.project({ private: true, ...jestConfig });
    project.write('tsconfig.json', docsBlock('quickstart.md', 'json', '"moduleResolution"'));
    project.write('pool-plugin.ts', docsBlock('testing.md', 'ts', '// pool-plugin.ts'));
    project.write(
      'pool.test.ts',
      [
        "import { expect, test } from '@jest/globals';",
        "import { poolSize } from './pool-plugin.js';",
        "test('the pool gets its settings', async () => expect(await poolSize()).toBe(2));",
      ].join('\n'),
    );
    project.linkFloeCore();
    for (const name of fs.readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
      if (!name.startsWith('.') && name !== 'floe-core') project.linkDependency(name);
    }
  });
  afterAll(() => project.remove());

  it('runs a TypeScript test of a plugin, with no warning from ts-jest', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--rootDir', project.root],
      { cwd: project.root, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    expect(result.stderr).toContain('1 passed');
    expect(result.stderr).not.toMatch(/ts-jest\[|warn/i);
    expect(result.status).toBe(0);
  });
});
