import { CircularDependencyError } from '../../../src';
import { criticalPath } from '../../../src/ordering/critical-path';
import { topologicalOrder } from '../../../src/ordering/topological-order';

describe('topologicalOrder', () => {
  it('ignores dependencies outside the given keys and duplicate keys', () => {
    expect(topologicalOrder(['b', 'a', 'b'], new Map([['b', ['a', 'zzz']]]))).toEqual(['a', 'b']);
  });

  it('picks the smallest ready key first', () => {
    const deps = new Map([
      ['c', ['a']],
      ['b', ['d']],
    ]);
    expect(topologicalOrder(['a', 'b', 'c', 'd'], deps)).toEqual(['a', 'c', 'd', 'b']);
  });

  it('finds a cycle behind an acyclic prefix', () => {
    const deps = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['d']],
      ['d', ['b']],
    ]);
    expect(() => topologicalOrder(['a', 'b', 'c', 'd'], deps)).toThrow(CircularDependencyError);
    try {
      topologicalOrder(['a', 'b', 'c', 'd'], deps);
    } catch (error) {
      expect((error as CircularDependencyError).cycle).toEqual(['b', 'c', 'd', 'b']);
    }
  });

  it('handles an empty graph', () => {
    expect(topologicalOrder([], new Map())).toEqual([]);
  });
});

describe('criticalPath', () => {
  it('follows the dependency that finished last back from the plugin that finished last', () => {
    const timings = new Map([
      ['db', { startedAt: 0, endedAt: 10 }],
      ['cache', { startedAt: 0, endedAt: 30 }],
      ['api', { startedAt: 30, endedAt: 40 }],
      ['other', { startedAt: 0, endedAt: 35 }],
    ]);
    expect(criticalPath(timings, new Map([['api', ['db', 'cache']]]))).toEqual(['cache', 'api']);
  });

  it('is empty when nothing started', () => {
    expect(criticalPath(new Map(), new Map())).toEqual([]);
  });
});
