import { CircularDependencyError } from '../../../src';
import { criticalPath } from '../../../src/ordering/critical-path';
import { dependencyLists, orderIndices, OrderScratch, topologicalOrder } from '../../../src/ordering/topological-order';

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

describe('orderIndices with a scratch kept between calls', () => {
  const name = (i: number) => `n${i}`;

  it('orders graphs of changing sizes exactly as with fresh arrays, stale contents never leaking in', () => {
    const scratch = new OrderScratch();
    const graphs = [
      // 0 <- 1 <- 2, 3 alone, 4 needs 3 and 0
      [[], [0], [1], [], [3, 0]],
      // smaller, reversed chain: 2 <- 1 <- 0
      [[1], [2], []],
      // larger: each node needs the one before, plus node 0
      Array.from({ length: 40 }, (_, i) => (i === 0 ? [] : i === 1 ? [0] : [i - 1, 0])),
      // empty
      [],
      [[], []],
    ];
    for (const lists of graphs) {
      const fresh = Array.from(orderIndices(dependencyLists(lists), name));
      const reused = Array.from(orderIndices(dependencyLists(lists), name, scratch));
      expect(reused).toEqual(fresh);
    }
    expect(Array.from(orderIndices(dependencyLists([[], [0], [1], [], [3, 0]]), name, scratch))).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });

  it('reports a cycle found with reused arrays, then orders the next graph correctly', () => {
    const scratch = new OrderScratch();
    expect(() => orderIndices(dependencyLists([[1], [2], [0], []]), name, scratch)).toThrow(CircularDependencyError);
    expect(Array.from(orderIndices(dependencyLists([[], [0], [1], [2]]), name, scratch))).toEqual([0, 1, 2, 3]);
  });

  it('gives zeroed buffers only when asked, and grows them as needed', () => {
    const scratch = new OrderScratch();
    scratch.take(0, 4, true).set([7, 7, 7, 7]);
    expect(Array.from(scratch.take(0, 4, false))).toEqual([7, 7, 7, 7]);
    expect(Array.from(scratch.take(0, 4, true))).toEqual([0, 0, 0, 0]);
    expect(scratch.take(0, 1000, false)).toHaveLength(1000);
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
