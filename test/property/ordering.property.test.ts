import * as fc from 'fast-check';
import { CircularDependencyError } from '../../src';
import { topologicalOrder } from '../../src/ordering/topological-order';

/** A random DAG: edges only go from a higher index to a lower one; keys are shuffled names. */
const dag = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(
      fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => `k${String(i).padStart(2, '0')}`),
        { minLength: n, maxLength: n },
      ),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 }),
    ),
  )
  .map(([keys, pairs]) => {
    const deps = new Map<string, string[]>(keys.map((k) => [k, []]));
    for (const [x, y] of pairs) if (x > y) (deps.get(keys[x]) as string[]).push(keys[y]);
    return { keys, deps };
  });

describe('topologicalOrder, for any graph', () => {
  it('puts every dependency before its dependent, keeps every key once, and gives the same order for any input order', () => {
    fc.assert(
      fc.property(dag, ({ keys, deps }) => {
        const order = topologicalOrder(keys, deps);
        expect([...order].sort()).toEqual([...keys].sort());
        const position = new Map(order.map((key, i) => [key, i]));
        for (const [key, list] of deps)
          for (const dep of list) expect(position.get(dep)).toBeLessThan(position.get(key) as number);
        expect(topologicalOrder([...keys].reverse(), deps)).toEqual(order);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a real cycle whenever one exists', () => {
    const withCycle = dag.chain(({ keys, deps }) =>
      fc.tuple(fc.constant({ keys, deps }), fc.nat(keys.length - 1), fc.nat(keys.length - 1)).map(([graph, x, y]) => {
        // An edge from a low index to a higher one closes a cycle whenever a path leads back; add a sure one too.
        const copy = new Map([...graph.deps].map(([k, v]) => [k, [...v]]));
        (copy.get(graph.keys[Math.min(x, y)]) as string[]).push(graph.keys[Math.max(x, y)]);
        (copy.get(graph.keys[Math.max(x, y)]) as string[]).push(graph.keys[Math.min(x, y)]);
        return { keys: graph.keys, deps: copy };
      }),
    );
    fc.assert(
      fc.property(withCycle, ({ keys, deps }) => {
        let caught: unknown;
        try {
          topologicalOrder(keys, deps);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(CircularDependencyError);
        const cycle = (caught as CircularDependencyError).cycle;
        expect(cycle[0]).toBe(cycle[cycle.length - 1]);
        expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
        for (let i = 0; i < cycle.length - 1; i++) expect(deps.get(cycle[i])).toContain(cycle[i + 1]);
      }),
      { numRuns: 300 },
    );
  });
});
