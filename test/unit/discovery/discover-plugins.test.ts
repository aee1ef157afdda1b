import type { DiscoveryFileSystem } from '../../../src/discovery/file-system';
import { discoverPlugins } from '../../../src/discovery/discover-plugins';
import { scanPackageFolders } from '../../../src/discovery/package-scanner';
import { MemoryFileSystem } from '../../support/memory-file-system';

const plugin = (group: string, name: string, target = './index.js') => ({
  floe: { plugins: { [group]: { [name]: target } } },
});

describe('scanPackageFolders', () => {
  it('lists the project first, then every package and scoped package, skipping dot folders', () => {
    const files = new MemoryFileSystem()
      .json('/app/package.json', {})
      .json('/app/node_modules/zeta/package.json', {})
      .json('/app/node_modules/@acme/beta/package.json', {})
      .json('/app/node_modules/alpha/package.json', {})
      .dir('/app/node_modules/.bin')
      .file('/app/node_modules/.package-lock.json', '{}');
    const { locations } = scanPackageFolders('/app', files);
    expect(locations[0]).toMatchObject({ dir: '/app', isProject: true });
    expect(locations.slice(1).map((l) => [l.folderName, l.isProject])).toEqual(
      expect.arrayContaining([
        ['@acme/beta', false],
        ['alpha', false],
        ['zeta', false],
      ]),
    );
    expect(locations).toHaveLength(4);
  });

  it('reads a folder reached under two names once, under the name that comes first, however they are listed', () => {
    for (const order of ['as written', 'reversed'] as const) {
      const files = new MemoryFileSystem()
        .json('/repo/packages/vault/package.json', {})
        .link('/app/node_modules/zz-vault', '/repo/packages/vault')
        .link('/app/node_modules/aa-vault', '/repo/packages/vault')
        .link('/app/node_modules/mm-vault', '/repo/packages/vault');
      const listed = order === 'reversed' ? reversedListing(files) : files;
      const { locations, notes } = scanPackageFolders('/app', listed);
      expect(locations.filter((l) => !l.isProject).map((l) => l.folderName)).toEqual(['aa-vault']);
      expect(notes.map((n) => [n.reason, n.dir])).toEqual([
        ['duplicate-real-path', '/app/node_modules/mm-vault'],
        ['duplicate-real-path', '/app/node_modules/zz-vault'],
      ]);
    }
  });

  it('follows symlinks, keeps a folder reached twice once, and skips dangling links', () => {
    const files = new MemoryFileSystem()
      .json('/repo/packages/vault/package.json', {})
      .link('/app/node_modules/vault', '/repo/packages/vault')
      .link('/app/node_modules/vault-alias', '/repo/packages/vault')
      .link('/app/node_modules/gone', '/nowhere');
    const { locations, notes } = scanPackageFolders('/app', files);
    expect(locations.filter((l) => !l.isProject).map((l) => [l.folderName, l.realDir])).toEqual([
      ['vault', '/repo/packages/vault'],
    ]);
    expect(notes.map((n) => n.reason).sort()).toEqual(['dangling-link', 'duplicate-real-path']);
  });

  it('does not descend into nested node_modules or loop through a linked scope', () => {
    const files = new MemoryFileSystem()
      .json('/app/node_modules/a/package.json', {})
      .json('/app/node_modules/a/node_modules/b/package.json', {})
      .link('/app/node_modules/@loop', '/app/node_modules');
    const { locations } = scanPackageFolders('/app', files);
    expect(locations.filter((l) => !l.isProject).map((l) => l.realDir)).toEqual(['/app/node_modules/a']);
  });

  it('copes with a project without node_modules', () => {
    const { locations } = scanPackageFolders('/app', new MemoryFileSystem().json('/app/package.json', {}));
    expect(locations).toHaveLength(1);
  });
});

describe('discoverPlugins', () => {
  it('reads only package.json files and turns entries into records', () => {
    const files = new MemoryFileSystem()
      .json('/app/package.json', { name: 'app' })
      .json('/app/node_modules/duck/package.json', {
        name: 'floe-duck',
        type: 'module',
        ...plugin('floe.computes', 'duckdb', './dist/duck.js#Duck'),
      });
    const result = discoverPlugins('/app', { files });
    expect(result.entries).toEqual([
      {
        key: 'floe.computes:duckdb',
        type: 'floe.computes',
        name: 'duckdb',
        packageName: 'floe-duck',
        packageDir: '/app/node_modules/duck',
        manifestPath: '/app/node_modules/duck/package.json',
        target: './dist/duck.js#Duck',
        modulePath: 'dist/duck.js',
        exportName: 'Duck',
        esm: true,
        isProject: false,
      },
    ]);
    expect(files.reads.sort()).toEqual(['/app/node_modules/duck/package.json', '/app/package.json']);
  });

  it('skips folders without package.json silently and reports unreadable ones', () => {
    const files = new MemoryFileSystem()
      .dir('/app/node_modules/empty')
      .unreadable('/app/node_modules/locked/package.json');
    const result = discoverPlugins('/app', { files });
    expect(result.issues.map((i) => [i.code, i.packageName])).toEqual([['PACKAGE_UNREADABLE', 'locked']]);
  });

  it('falls back to the folder name when the package has no name', () => {
    const files = new MemoryFileSystem().json(
      '/app/node_modules/@s/nameless/package.json',
      plugin('floe.dbt', 'local'),
    );
    expect(discoverPlugins('/app', { files }).entries[0].packageName).toBe('@s/nameless');
  });

  it('gives a key to the package that comes first by name, and reports in name order, however folders are listed', () => {
    const build = () =>
      new MemoryFileSystem()
        .json('/app/node_modules/b-second/package.json', { name: 'b-second', ...plugin('floe.dbt', 'local') })
        .json('/app/node_modules/a-first/package.json', { name: 'a-first', ...plugin('floe.dbt', 'local') })
        .file('/app/node_modules/c-broken/package.json', '{')
        .json('/app/node_modules/@z/last/package.json', { name: '@z/last', floe: [] })
        .json('/app/node_modules/plain/package.json', { name: 'plain' });
    for (const files of [build(), reversedListing(build())]) {
      const result = discoverPlugins('/app', { files });
      expect(result.entries.map((e) => [e.key, e.packageName])).toEqual([['floe.dbt:local', 'a-first']]);
      expect(result.issues.map((i) => [i.code, i.packageName])).toEqual([
        ['MANIFEST_INVALID', '@z/last'],
        ['PLUGIN_DUPLICATE', 'b-second'],
        ['PACKAGE_JSON_INVALID', 'c-broken'],
      ]);
      expect(result.packagesScanned).toBe(6);
    }
  });

  it('lets keys taken elsewhere win and reports the discovered duplicate', () => {
    const files = new MemoryFileSystem().json('/app/node_modules/p/package.json', plugin('floe.dbt', 'local'));
    const result = discoverPlugins('/app', {
      files,
      isTaken: (key) => (key === 'floe.dbt:local' ? 'a registered plugin' : undefined),
    });
    expect(result.entries).toEqual([]);
    expect(result.issues[0]).toMatchObject({ code: 'PLUGIN_DUPLICATE', packageName: 'p' });
    expect(result.issues[0].message).toContain('a registered plugin');
  });
});

/** The same files, with every folder listed in reverse order, as a disk might list them. */
function reversedListing(files: MemoryFileSystem): DiscoveryFileSystem {
  return {
    readDir: (dir) => files.readDir(dir).reverse(),
    readFile: (file) => files.readFile(file),
    realPath: (file) => files.realPath(file),
    isDirectory: (file) => files.isDirectory(file),
  };
}
