import { CircularDependencyError } from '../errors';

/**
 * Orders keys so that every key comes after its dependencies (Kahn's algorithm), breaking ties by key so
 * that the order is the same on every run. Dependencies outside `keys` are ignored.
 *
 * @throws CircularDependencyError with one cycle, as a closed path of keys starting at its smallest key.
 * @example
 * ```ts
 * topologicalOrder(['b', 'a'], new Map([['b', ['a']]])) // ['a', 'b']
 * ```
 */
export function topologicalOrder(keys: Iterable<string>, deps: ReadonlyMap<string, readonly string[]>): string[] {
  const sorted = [...new Set(keys)].sort();
  const n = sorted.length;
  const rank = new Map<string, number>();
  for (let i = 0; i < n; i++) rank.set(sorted[i], i);

  // Dependents as compressed adjacency lists (CSR): offsets[i]..offsets[i+1] index into targets.
  const indegree = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (const dep of deps.get(sorted[i]) ?? []) {
      const d = rank.get(dep);
      if (d === undefined) continue;
      offsets[d + 1]++;
      indegree[i]++;
    }
  }
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const targets = new Int32Array(offsets[n]);
  const fill = offsets.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (const dep of deps.get(sorted[i]) ?? []) {
      const d = rank.get(dep);
      if (d !== undefined) targets[fill[d]++] = i;
    }
  }

  const ready = new MinHeap(n);
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const order: string[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(sorted[i]);
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const t = targets[e];
      if (--indegree[t] === 0) ready.push(t);
    }
  }
  if (order.length < n) throw new CircularDependencyError(findCycle(sorted, rank, deps, indegree));
  return order;
}

/**
 * Walks from the smallest unordered key along dependencies that are unordered too: every such key has
 * one, so the walk must revisit a key, and the loop from that key is a real cycle.
 */
function findCycle(
  sorted: readonly string[],
  rank: ReadonlyMap<string, number>,
  deps: ReadonlyMap<string, readonly string[]>,
  indegree: Int32Array,
): string[] {
  const blocked = (key: string) => {
    const r = rank.get(key);
    return r !== undefined && indegree[r] > 0;
  };
  const start = sorted.find(blocked) as string;
  const position = new Map<string, number>();
  const path: string[] = [];
  let current = start;
  while (!position.has(current)) {
    position.set(current, path.length);
    path.push(current);
    current = [...(deps.get(current) ?? [])].filter(blocked).sort()[0];
  }
  const loop = path.slice(position.get(current));
  const first = loop.indexOf([...loop].sort()[0]);
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
