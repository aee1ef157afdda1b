import { parseTarget, readManifest } from '../../../src/discovery/manifest';

describe('parseTarget', () => {
  it.each([
    ['./dist/duckdb.js#DuckDBPlugin', { modulePath: 'dist/duckdb.js', exportName: 'DuckDBPlugin' }],
    ['dist/duckdb.js', { modulePath: 'dist/duckdb.js' }],
    ['./a/../b.js#$x', { modulePath: 'b.js', exportName: '$x' }],
    ['.#Main', { modulePath: '.', exportName: 'Main' }],
    ['lib\\win.js', { modulePath: 'lib/win.js' }],
  ])('reads %s', (target, expected) => {
    expect(parseTarget(target)).toEqual(expected);
  });

  it.each([
    ['', 'not-string'],
    ['   ', 'not-string'],
    [42, 'not-string'],
    [null, 'not-string'],
    ['#Export', 'not-string'],
    ['./x.js#', 'bad-export'],
    ['./x.js#1abc', 'bad-export'],
    ['./x.js#a#b', 'bad-export'],
    ['/etc/passwd', 'absolute'],
    ['C:\\plugins\\x.js', 'absolute'],
    ['file:///etc/x.js', 'absolute'],
    ['../other/x.js', 'escapes'],
    ['./a/../../x.js', 'escapes'],
    ['..', 'escapes'],
  ])('refuses %p as %s', (target, problem) => {
    expect(parseTarget(target)).toBe(problem);
  });
});

describe('readManifest', () => {
  const source = { manifestPath: '/p/package.json', packageDir: '/p', fallbackName: 'p', isProject: false };

  it('announces nothing for a package without a floe field', () => {
    expect(readManifest({ name: 'left-pad' }, source)).toEqual({ entries: [], issues: [] });
  });

  it('reports every problem of one manifest and keeps its valid entries', () => {
    const { entries, issues } = readManifest(
      {
        name: 'mixed',
        floe: {
          plugins: {
            'floe.computes': { good: './good.js', 'bad name': './x.js', empty: '' },
            'floe.nope': { x: './x.js' },
            'floe.secrets': ['vault'],
          },
        },
      },
      source,
    );
    expect(entries.map((e) => e.key)).toEqual(['floe.computes:good']);
    expect(issues.map((i) => i.code)).toEqual([
      'PLUGIN_NAME_INVALID',
      'ENTRY_INVALID',
      'UNKNOWN_PLUGIN_TYPE',
      'MANIFEST_INVALID',
    ]);
    for (const issue of issues) expect(issue).toMatchObject({ packageName: 'mixed', path: '/p/package.json' });
  });
});
