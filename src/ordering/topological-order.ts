import { CircularDependencyError } from '../errors';

/**
 * Orders nodes `0..count-1` so that every node comes after its dependencies (Kahn's algorithm). Among
 * nodes that are ready together the smallest index goes first, so giving nodes in key order makes the
 * order the same on every run. Works on integer indices and typed arrays: linear in nodes and edges,
 * apart from the ready-queue heap.
 *
 * @param forEachDep - calls `visit` with the index of each dependency of node `i`.
 * @param nameOf - the key of a node, for the cycle error.
 * @throws CircularDependencyError with one cycle, as a closed path starting at its smallest node.
 */
export function orderIndices(
  count: number,
  forEachDep: (i: number, visit: (dep: number) => void) => void,
  nameOf: (i: number) => string,
): Int32Array {
  // Dependents as compressed adjacency lists (CSR): offsets[d]..offsets[d+1] index into targets.
  // The visitors are made once, not per node: at 100,000 nodes the allocations would show.
  const indegree = new Int32Array(count);
  const offsets = new Int32Array(count + 1);
  let current = 0;
  const count1 = (d: number) => {
    offsets[d + 1]++;
    indegree[current]++;
  };
  for (current = 0; current < count; current++) forEachDep(current, count1);
  for (let i = 0; i < count; i++) offsets[i + 1] += offsets[i];
  const targets = new Int32Array(offsets[count]);
  const fill = offsets.slice(0, count);
  const link = (d: number) => {
    targets[fill[d]++] = current;
  };
  for (current = 0; current < count; current++) forEachDep(current, link);

  const ready = new MinHeap(count);
  for (let i = 0; i < count; i++) if (indegree[i] === 0) ready.push(i);
  const order = new Int32Array(count);
  let placed = 0;
  while (ready.size > 0) {
    const i = ready.pop();
    order[placed++] = i;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const t = targets[e];
      if (--indegree[t] === 0) ready.push(t);
    }
  }
  if (placed < count) throw new CircularDependencyError(findCycle(count, forEachDep, indegree).map(nameOf));
  return order;
}

/**
 * Orders keys so that every key comes after its dependencies, breaking ties by key.
 * Dependencies outside `keys` are ignored.
 *
 * @throws CircularDependencyError with one cycle, as a closed path of keys starting at its smallest key.
 * @example
 * ```ts
 * topologicalOrder(['b', 'a'], new Map([['b', ['a']]])) // ['a', 'b']
 * ```
 */
export function topologicalOrder(keys: Iterable<string>, deps: ReadonlyMap<string, readonly string[]>): string[] {
  const sorted = [...new Set(keys)].sort();
  const rank = new Map<string, number>();
  for (let i = 0; i < sorted.length; i++) rank.set(sorted[i], i);
  const order = orderIndices(
    sorted.length,
    (i, visit) => {
      for (const dep of deps.get(sorted[i]) ?? []) {
        const d = rank.get(dep);
        if (d !== undefined) visit(d);
      }
    },
    (i) => sorted[i],
  );
  return Array.from(order, (i) => sorted[i]);
}

/**
 * Walks from the smallest unordered node along its smallest unordered dependency: every unordered node
 * has one, so the walk must revisit a node, and the loop from that node is a real cycle.
 */
function findCycle(
  count: number,
  forEachDep: (i: number, visit: (dep: number) => void) => void,
  indegree: Int32Array,
): number[] {
  let start = 0;
  while (indegree[start] === 0) start++;
  const position = new Map<number, number>();
  const path: number[] = [];
  let current = start;
  while (!position.has(current)) {
    position.set(current, path.length);
    path.push(current);
    let next = count;
    forEachDep(current, (d) => {
      if (indegree[d] > 0 && d < next) next = d;
    });
    current = next;
  }
  const loop = path.slice(position.get(current));
  const first = loop.indexOf(Math.min(...loop));
  const rotated = [...loop.slice(first), ...loop.slice(0, first)];
  return [...rotated, rotated[0]];
}

/** A binary min-heap of small non-negative integers. */
class MinHeap {
  private readonly items: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(capacity, 1));
  }

  push(value: number): void {
    const items = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items[--this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && items[child + 1] < items[child]) child++;
      if (items[child] >= last) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
}
