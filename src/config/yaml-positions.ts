/** A place in a text file: 1-based line and column (a tab counts as one column, as editors count it). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A node of the parsed document as the parser's events show it: where it starts, what it became, its children. */
interface Frame {
  readonly start: number;
  readonly keep: boolean;
  result?: unknown;
  /** The children's start offsets, values and frames, in order: a mapping's alternate key and value. */
  readonly starts: number[];
  readonly results: unknown[];
  readonly frames: (Frame | undefined)[];
}

/** The parser's listener: js-yaml calls it when it opens and closes each node. */
export type YamlListener = (type: 'open' | 'close', state: { position: number; result: unknown }) => void;

/**
 * The positions of a YAML (or JSON) document's nodes, rebuilt from js-yaml's open and close events in one
 * pass: nodes keep their children down to `depth` levels (the cheap reading of a file keeps the top two
 * mappings; the reading that locates a problem keeps everything), indexed on first use. Also tells whether
 * an alias reused a collection (looked for only when the text has an anchor), and follows aliases to the
 * nodes they stand for.
 */
export class YamlPositions {
  private readonly stack: Frame[] = [];
  private root?: Frame;
  /** 1 when the document is a block node wrapping a flow collection (a JSON document): one level more. */
  private shift = 0;
  private readonly mayAlias: boolean;
  /** The frame each collection was first read from (where an anchor defines it). */
  private readonly defined = new WeakMap<object, Frame>();
  private alias?: number;
  private lineStarts?: number[];
  private readonly index = new Map<Frame, Map<string, number>>();

  /** @param depth how many levels keep their children, counting the document wrapper when there is one. */
  constructor(
    private readonly text: string,
    private readonly depth = 3,
  ) {
    this.mayAlias = text.includes('&');
  }

  /** Whether an alias (`*name`) stands for a mapping or a sequence defined elsewhere. */
  get reusesCollections(): boolean {
    return this.alias !== undefined;
  }

  readonly listener: YamlListener = (type, state) => {
    const depth = this.stack.length;
    if (type === 'open') {
      this.stack.push({ start: state.position, keep: depth < this.depth, starts: [], results: [], frames: [] });
      return;
    }
    const frame = this.stack.pop() as Frame;
    const result = state.result;
    frame.result = result;
    if (this.mayAlias && typeof result === 'object' && result !== null) {
      if (this.defined.has(result)) this.alias ??= frame.start;
      else this.defined.set(result, frame);
    }
    const parent = this.stack[depth - 2];
    if (parent === undefined) {
      this.root = frame;
      if (frame.results.length === 1 && frame.results[0] === result) this.shift = 1;
    } else if (parent.keep) {
      parent.starts.push(frame.start);
      parent.results.push(result);
      parent.frames.push(frame.keep ? frame : undefined);
    }
  };

  /** The line and column of the top-level key `top` (or of the key `nested` in the mapping under it). */
  keyOf(top: string, nested?: string): Partial<SourcePosition> {
    const document = this.document();
    const offset =
      nested === undefined ? this.keysOf(document)?.get(top) : this.keysOf(this.valueFrame(document, top))?.get(nested);
    return offset === undefined ? {} : this.position(offset);
  }

  /** Where the first alias that reuses a collection is. */
  firstAlias(): Partial<SourcePosition> {
    return this.alias === undefined ? {} : this.position(this.alias);
  }

  /**
   * Where the node at `path` is, a key or a value: `path` names mapping keys and sequence indexes from the
   * top. A dotted name matches a key that holds dots too (`a.b` is the key `"a.b"` when the mapping has one).
   * For a path the document does not hold, the key of the deepest mapping on the way that it does hold
   * (where a missing setting belongs). Through an alias, the node the anchor defines.
   */
  locate(path: readonly string[], part: 'key' | 'value'): SourcePosition | undefined {
    let frame = this.document();
    let keyAt: number | undefined;
    let i = 0;
    while (i < path.length) {
      frame = frame === undefined ? undefined : this.follow(frame);
      if (frame === undefined) break;
      const step = this.step(frame, path, i);
      if (step === undefined) break;
      keyAt = step.keyAt;
      frame = step.frame;
      i = step.next;
      if (i === path.length) {
        // An empty value (`size:` and nothing after it) is where its key is.
        const keyed =
          step.keyAt !== undefined && (part === 'key' || (step.value === null && this.isEmpty(step.valueAt)));
        return this.position(keyed ? (step.keyAt as number) : step.valueAt);
      }
    }
    if (path.length === 0 && frame !== undefined) return this.position(frame.start);
    return keyAt === undefined ? undefined : this.position(keyAt);
  }

  // One step down from a mapping (the longest run of names that is one of its keys) or a sequence (an index).
  private step(
    frame: Frame,
    path: readonly string[],
    from: number,
  ): { frame: Frame | undefined; keyAt?: number; valueAt: number; value: unknown; next: number } | undefined {
    if (Array.isArray(frame.result)) {
      const index = Number(path[from]);
      if (!/^\d+$/.test(path[from]) || index >= frame.results.length) return undefined;
      const [valueAt, value] = [frame.starts[index], frame.results[index]];
      return { frame: frame.frames[index], valueAt, value, next: from + 1 };
    }
    const keys = this.keysOf(frame);
    if (keys === undefined) return undefined;
    for (let to = path.length; to > from; to--) {
      const name = path.slice(from, to).join('.');
      const keyIndex = keys.get(name);
      if (keyIndex === undefined) continue;
      const at = frame.starts.indexOf(keyIndex);
      const [valueAt, value] = [frame.starts[at + 1], frame.results[at + 1]];
      return { frame: frame.frames[at + 1], keyAt: keyIndex, valueAt, value, next: to };
    }
    return undefined;
  }

  // An alias's frame has no children: the anchor's frame has them.
  private follow(frame: Frame): Frame {
    const result = frame.result;
    if (frame.results.length > 0 || typeof result !== 'object' || result === null) return frame;
    return this.defined.get(result) ?? frame;
  }

  private document(): Frame | undefined {
    return this.shift === 1 ? this.root?.frames[0] : this.root;
  }

  private valueFrame(mapping: Frame | undefined, key: string): Frame | undefined {
    if (mapping === undefined) return undefined;
    for (let i = 0; i + 1 < mapping.results.length; i += 2) {
      if (String(mapping.results[i]) === key) return mapping.frames[i + 1];
    }
    return undefined;
  }

  // A mapping's keys by name, to where they start (the first, for a name given twice).
  private keysOf(mapping: Frame | undefined): Map<string, number> | undefined {
    if (mapping === undefined || Array.isArray(mapping.result)) return undefined;
    const cached = this.index.get(mapping);
    if (cached !== undefined) return cached;
    const keys = new Map<string, number>();
    for (let i = 0; i + 1 < mapping.results.length; i += 2) {
      const name = String(mapping.results[i]);
      if (!keys.has(name)) keys.set(name, mapping.starts[i]);
    }
    this.index.set(mapping, keys);
    return keys;
  }

  private position(offset: number): SourcePosition {
    offset = this.skipBlank(offset);
    const starts = (this.lineStarts ??= lineStarts(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  }

  // Whether nothing but blanks and a comment follow on the line.
  private isEmpty(offset: number): boolean {
    const rest = /^[ \t]*(?:#.*)?(?:\r?\n|$)/.exec(
      this.text.slice(offset, this.text.indexOf('\n', offset) + 1 || undefined),
    );
    return rest !== null;
  }

  // Events begin at the whitespace (and comments) before a node: its first character is after them.
  private skipBlank(offset: number): number {
    const text = this.text;
    while (offset < text.length) {
      const char = text[offset];
      if (/\s/.test(char)) offset++;
      else if (char === '#' && (offset === 0 || /\s/.test(text[offset - 1]))) {
        const end = text.indexOf('\n', offset);
        offset = end === -1 ? text.length : end + 1;
      } else break;
    }
    return offset;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
