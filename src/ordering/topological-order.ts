import { CircularDependencyError } from '../errors';

/**
 * Every node's dependencies as compressed adjacency lists (CSR): node `i` depends on
 * `targets[offsets[i]]` up to `targets[offsets[i + 1] - 1]`. `offsets` has one entry more than there are nodes.
 */
export interface DependencyLists {
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

/**
 * Typed arrays kept from one ordering to the next. Ordering a large platform needs several arrays of a few
 * hundred kilobytes; made afresh each time they cost page faults and external-memory pressure, which makes
 * V8 collect a large heap. Whoever holds one must use it synchronously (nothing it returns outlives the call
 * that asked for it), so that two orderings never share it.
 */
export class OrderScratch {
  private readonly buffers: Int32Array[] = [];

  /** Buffer number `slot`, `length` long; its contents are zero only when `zeroed`. */
  take(slot: number, length: number, zeroed: boolean): Int32Array {
    const buffer = this.buffers[slot];
    if (buffer === undefined || buffer.length < length) {
      const grown = new Int32Array(Math.max(length, 2 * (buffer?.length ?? 0), 16));
      this.buffers[slot] = grown;
      return grown.subarray(0, length);
    }
    const view = buffer.subarray(0, length);
    if (zeroed) view.fill(0);
    return view;
  }
}

const INDEGREE = 0;
const DEPENDENTS_AT = 1;
const DEPENDENTS = 2;
const FILL = 3;
const READY = 4;
const ORDER = 5;
/** The first slot callers of `orderIndices` may use for their own arrays in the same scratch. */
export const FIRST_FREE_SLOT = 6;

/**
 * Orders nodes `0..count-1` so that every node comes after its dependencies (Kahn's algorithm). Among
 * nodes that are ready together the smallest index goes first, so giving nodes in key order makes the
 * order the same on every run. Works on integer indices and typed arrays: linear in nodes and edges,
 * apart from the ready-queue heap.
 *
 * @param nameOf - the key of a node, for the cycle error.
 * @param scratch - where to take the working arrays from; the order returned is then one of them, valid
 *   until the scratch is used again. Default: fresh arrays.
 * @throws CircularDependencyError with one cycle, as a closed path starting at its smallest node.
 */
export function orderIndices(
  deps: DependencyLists,
  nameOf: (i: number) => string,
  scratch: OrderScratch = new OrderScratch(),
): Int32Array {
  const count = deps.offsets.length - 1;
  const { offsets, targets } = deps;
  // Dependents, the other way round, also as CSR: a node is ready once all its dependencies are placed.
  const indegree = scratch.take(INDEGREE, count, false);
  const dependentsAt = scratch.take(DEPENDENTS_AT, count + 1, true);
  for (let i = 0; i < count; i++) {
    indegree[i] = offsets[i + 1] - offsets[i];
    for (let e = offsets[i]; e < offsets[i + 1]; e++) dependentsAt[targets[e] + 1]++;
  }
  for (let i = 0; i < count; i++) dependentsAt[i + 1] += dependentsAt[i];
  const dependents = scratch.take(DEPENDENTS, dependentsAt[count], false);
  const fill = scratch.take(FILL, count, false);
  fill.set(dependentsAt.subarray(0, count));
  for (let i = 0; i < count; i++) {
    for (let e = offsets[i]; e < offsets[i + 1]; e++) dependents[fill[targets[e]]++] = i;
  }

  const ready = new MinHeap(scratch.take(READY, Math.max(count, 1), false));
  for (let i = 0; i < count; i++) if (indegree[i] === 0) ready.push(i);
  const order = scratch.take(ORDER, count, false);
  let placed = 0;
  while (ready.size > 0) {
    const i = ready.pop();
    order[placed++] = i;
    for (let e = dependentsAt[i]; e < dependentsAt[i + 1]; e++) {
      const t = dependents[e];
      if (--indegree[t] === 0) ready.push(t);
    }
  }
  if (placed < count) throw new CircularDependencyError(findCycle(deps, indegree).map(nameOf));
  return order;
}

/** Dependency lists in CSR form, from each node's list. */
export function dependencyLists(lists: readonly (readonly number[])[]): DependencyLists {
  const offsets = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i] + lists[i].length;
  const targets = new Int32Array(offsets[lists.length]);
  let e = 0;
  for (const list of lists) for (const target of list) targets[e++] = target;
  return { offsets, targets };
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
  const lists = sorted.map((key) =>
    (deps.get(key) ?? []).map((dep) => rank.get(dep)).filter((d): d is number => d !== undefined),
  );
  const order = orderIndices(dependencyLists(lists), (i) => sorted[i]);
  return Array.from(order, (i) => sorted[i]);
}

/**
 * Walks from the smallest unordered node along its smallest unordered dependency: every unordered node
 * has one, so the walk must revisit a node, and the loop from that node is a real cycle.
 */
function findCycle({ offsets, targets }: DependencyLists, indegree: Int32Array): number[] {
  const count = offsets.length - 1;
  let start = 0;
  while (indegree[start] === 0) start++;
  const position = new Map<number, number>();
  const path: number[] = [];
  let current = start;
  while (!position.has(current)) {
    position.set(current, path.length);
    path.push(current);
    let next = count;
    for (let e = offsets[current]; e < offsets[current + 1]; e++) {
      const d = targets[e];
      if (indegree[d] > 0 && d < next) next = d;
    }
    current = next;
  }
  const loop = path.slice(position.get(current));
  const first = loop.indexOf(Math.min(...loop));
  const rotated = [...loop.slice(first), ...loop.slice(0, first)];
  return [...rotated, rotated[0]];
}

/** A binary min-heap of small non-negative integers, in a buffer long enough for all of them. */
class MinHeap {
  size = 0;

  constructor(private readonly items: Int32Array) {}

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
