import * as path from 'node:path';
import { floeCoreSource } from '../../../src/cli/floe-core-source';
import { PackageTree } from '../../support/package-tree';

describe('floeCoreSource: where the running floe-core came from', () => {
  let tree: PackageTree;
  beforeEach(() => {
    tree = PackageTree.create('source');
  });
  afterEach(() => tree.remove());

  it('is its folder when it runs outside any node_modules (a checkout)', () => {
    tree.write('checkout/package.json', '{}');
    expect(floeCoreSource(tree.path('checkout'), '0.3.0')).toEqual({ kind: 'folder', folder: tree.path('checkout') });
  });

  it('is the folder a link points at', () => {
    tree.write('checkout/package.json', '{}');
    tree.link('app/node_modules/floe-core', tree.path('checkout'));
    expect(floeCoreSource(tree.path('app/node_modules/floe-core'), '0.3.0')).toEqual({
      kind: 'folder',
      folder: tree.path('checkout'),
    });
  });

  it.each([
    ['the hidden lock file', 'app/node_modules/.package-lock.json'],
    ['the project lock file', 'app/package-lock.json'],
  ])('is the folder a packed copy was installed from, read from %s', (_label, lockFile) => {
    tree.write('app/node_modules/floe-core/package.json', '{}');
    tree.write(lockFile, JSON.stringify({ packages: { 'node_modules/floe-core': { resolved: 'file:../checkout' } } }));
    expect(floeCoreSource(tree.path('app/node_modules/floe-core'), '0.3.0')).toEqual({
      kind: 'folder',
      folder: tree.path('checkout'),
    });
  });

  it('is a version range when it came from a registry, or when no lock file says', () => {
    tree.write('app/node_modules/floe-core/package.json', '{}');
    expect(floeCoreSource(tree.path('app/node_modules/floe-core'), '0.3.0')).toEqual({
      kind: 'registry',
      range: '^0.3.0',
    });
    tree.write('app/package-lock.json', 'not json');
    tree.write(
      'app/node_modules/.package-lock.json',
      JSON.stringify({
        packages: {
          'node_modules/floe-core': { resolved: 'https://registry.npmjs.org/floe-core/-/floe-core-0.3.0.tgz' },
        },
      }),
    );
    expect(floeCoreSource(tree.path('app/node_modules/floe-core'), '0.3.0')).toEqual({
      kind: 'registry',
      range: '^0.3.0',
    });
  });

  it('reads the entry of a nested copy by its full node_modules path', () => {
    tree.write('app/node_modules/tool/node_modules/floe-core/package.json', '{}');
    tree.write(
      'app/node_modules/.package-lock.json',
      JSON.stringify({
        packages: {
          'node_modules/floe-core': { resolved: 'https://registry.npmjs.org/x.tgz' },
          'node_modules/tool/node_modules/floe-core': { resolved: 'file:../elsewhere' },
        },
      }),
    );
    expect(floeCoreSource(tree.path('app/node_modules/tool/node_modules/floe-core'), '1.0.0')).toEqual({
      kind: 'folder',
      folder: path.join(tree.root, 'elsewhere'),
    });
  });
});
