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

/** Kahn's algorithm with the smallest ready node first, picked from a sorted list: slow, and plainly right. */
function smallestReadyFirst(lists: readonly (readonly number[])[]): number[] {
  const indegree = lists.map((list) => list.length);
  const dependents = lists.map((): number[] => []);
  lists.forEach((list, i) => list.forEach((dep) => dependents[dep].push(i)));
  const ready = indegree.flatMap((d, i) => (d === 0 ? [i] : []));
  const order: number[] = [];
  while (ready.length > 0) {
    const i = ready.shift() as number;
    order.push(i);
    for (const t of dependents[i]) {
      if (--indegree[t] > 0) continue;
      let at = ready.length;
      while (at > 0 && ready[at - 1] > t) at--;
      ready.splice(at, 0, t);
    }
  }
  return order;
}

/** A DAG of `count` nodes, each needing up to three of the 40 before it, or later ones for `backwards`. */
function randomDag(count: number, seed: number, backwards = false): number[][] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, (_, i) => {
    const deps = new Set<number>();
    const wanted = Math.floor(next() * 4);
    for (let d = 0; d < wanted; d++) {
      const dep = backwards ? i + 1 + Math.floor(next() * 40) : i - 1 - Math.floor(next() * 40);
      if (dep >= 0 && dep < count) deps.add(dep);
    }
    return [...deps];
  });
}

describe('orderIndices, the smallest ready node first', () => {
  // Sizes on both sides of each level of the ready set (32, 1,024 and 32,768 nodes per word above).
  it.each([1, 2, 31, 32, 33, 1023, 1024, 1025, 5000])('orders %i nodes as a plain search does', (count) => {
    for (const backwards of [false, true]) {
      const lists = randomDag(count, count + (backwards ? 1 : 0), backwards);
      expect(Array.from(orderIndices(dependencyLists(lists), String))).toEqual(smallestReadyFirst(lists));
    }
  });

  it('orders 40,000 nodes as a plain search does, readying small nodes after larger ones were taken', () => {
    // Node i needs i + 1 for odd i: even nodes are ready at once, and each odd node only after a larger one.
    const count = 40_000;
    const lists = Array.from({ length: count }, (_, i) => (i % 2 === 1 && i + 1 < count ? [i + 1] : []));
    const order = Array.from(orderIndices(dependencyLists(lists), String));
    expect(order.slice(0, 6)).toEqual([0, 2, 1, 4, 3, 6]);
    expect(order).toEqual(smallestReadyFirst(lists));
    const random = randomDag(count, 11, true);
    expect(Array.from(orderIndices(dependencyLists(random), String))).toEqual(smallestReadyFirst(random));
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
