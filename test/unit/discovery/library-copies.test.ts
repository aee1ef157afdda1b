import { libraryResolver } from '../../../src/discovery/library-copies';
import { MemoryFileSystem } from '../../support/memory-file-system';

const LIBRARIES = ['inversify', 'class-validator'];

/** Counts the folder checks the resolver makes. */
function counted(files: MemoryFileSystem): { files: MemoryFileSystem; checks: string[] } {
  const checks: string[] = [];
  const isDirectory = files.isDirectory.bind(files);
  files.isDirectory = (file: string) => {
    checks.push(file);
    return isDirectory(file);
  };
  return { files, checks };
}

describe('libraryResolver', () => {
  it('finds each library in the nearest node_modules going up, with links resolved', () => {
    const files = new MemoryFileSystem()
      .dir('/app/node_modules/inversify')
      .dir('/store/class-validator')
      .link('/app/node_modules/class-validator', '/store/class-validator')
      .dir('/app/node_modules/plugin/node_modules/inversify');
    const copiesFrom = libraryResolver(files, LIBRARIES);
    expect(copiesFrom('/app/node_modules/plugin')).toEqual({
      inversify: '/app/node_modules/plugin/node_modules/inversify',
      'class-validator': '/store/class-validator',
    });
    expect(copiesFrom('/app/node_modules/other')).toEqual({
      inversify: '/app/node_modules/inversify',
      'class-validator': '/store/class-validator',
    });
    expect(copiesFrom('/elsewhere')).toEqual({});
  });

  it('checks a new folder once for all libraries and reuses what its parents found', () => {
    const { files, checks } = counted(
      new MemoryFileSystem().dir('/app/node_modules/inversify').dir('/app/node_modules/a').dir('/app/node_modules/b'),
    );
    const copiesFrom = libraryResolver(files, LIBRARIES);
    copiesFrom('/app/node_modules/a');
    const before = checks.length;
    expect(copiesFrom('/app/node_modules/b')).toEqual({ inversify: '/app/node_modules/inversify' });
    expect(checks.slice(before)).toEqual(['/app/node_modules/b/node_modules']);
    expect(copiesFrom('/app/node_modules/b')).toEqual({ inversify: '/app/node_modules/inversify' });
    expect(checks.slice(before)).toHaveLength(1);
  });

  it('stops at a copy whose real path cannot be found, as Node would fail to load it', () => {
    const files = new MemoryFileSystem()
      .dir('/app/node_modules/inversify')
      .dir('/app/node_modules/plugin/node_modules/inversify');
    const isDirectory = files.isDirectory.bind(files);
    files.isDirectory = (file: string) => file.endsWith('plugin/node_modules/inversify') || isDirectory(file);
    files.realPath = (file: string) => {
      if (file.includes('plugin/node_modules/inversify')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return MemoryFileSystem.prototype.realPath.call(files, file);
    };
    expect(libraryResolver(files, LIBRARIES)('/app/node_modules/plugin')).toEqual({ inversify: undefined });
  });
});
