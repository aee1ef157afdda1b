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
 * order the same on every run. Works on integer indices and typed arrays: linear in nodes and edges, with
 * a few steps per node for the set of ready nodes (see ReadySet).
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

  const ready = new ReadySet(count, scratch);
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

/**
 * A set of integers below `count` that hands out its smallest first: a tree of 32-bit words whose lowest
 * level holds a bit per integer and where each bit above tells whether a word below has any bit set. Adding
 * and taking the smallest cost a step per level (four up to a million plugins) and touch a few kilobytes,
 * where a binary heap costs a step per doubling of what is ready, across a large array.
 */
class ReadySet {
  size = 0;
  private readonly words: Int32Array;
  /** Where each level starts in `words`: the bits of the integers first, the one word at the top last. */
  private readonly levels: number[] = [];

  constructor(count: number, scratch: OrderScratch) {
    let total = 0;
    let width = Math.max(count, 1);
    do {
      this.levels.push(total);
      width = (width + 31) >>> 5;
      total += width;
    } while (width > 1);
    this.words = scratch.take(READY, total, true);
  }

  push(value: number): void {
    const { words, levels } = this;
    this.size++;
    for (let level = 0, at = value; level < levels.length; level++, at >>>= 5) {
      const word = levels[level] + (at >>> 5);
      const before = words[word];
      words[word] = before | (1 << (at & 31));
      // The levels above already know this word has a bit set.
      if (before !== 0) return;
    }
  }

  pop(): number {
    const { words, levels } = this;
    this.size--;
    let value = 0;
    for (let level = levels.length - 1; level >= 0; level--)
      value = (value << 5) | lowest(words[levels[level] + value]);
    for (let level = 0, at = value; level < levels.length; level++, at >>>= 5) {
      const word = levels[level] + (at >>> 5);
      const after = words[word] & ~(1 << (at & 31));
      words[word] = after;
      // Other bits are still set in this word: the levels above stay as they are.
      if (after !== 0) break;
    }
    return value;
  }
}

/** The position of the lowest bit set in a non-zero word. */
function lowest(word: number): number {
  return 31 - Math.clz32(word & -word);
}
