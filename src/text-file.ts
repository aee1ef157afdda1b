import * as fs from 'node:fs';

// Without blocking: opening a FIFO that has no writer would otherwise wait for one.
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

/** The largest package.json discovery reads. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** The largest platform configuration file floe reads. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** Why a file could not be read as text; `code` is a Node-style code. */
export class TextFileError extends Error {
  constructor(
    readonly code: 'ENOTREG' | 'EISDIR' | 'EFBIG',
    message: string,
    /** For EFBIG: the file's size in bytes (at least, when it grew while being read). */
    readonly size?: number,
  ) {
    super(message);
    this.name = 'TextFileError';
  }
}

/**
 * Reads a regular file as UTF-8 text, dropping a leading byte-order mark. The file is opened without
 * blocking (a FIFO with no writer does not hang the open) and checked with `fstat` on the open descriptor,
 * so that a file swapped after a check cannot slip through; at most `maxBytes + 1` bytes are ever read.
 *
 * @throws TextFileError `ENOTREG` for a FIFO, device or socket, `EISDIR` for a folder, `EFBIG` beyond
 *   `maxBytes`; or the file system's own error (`ENOENT`, `EACCES`, ...).
 */
export function readTextFile(file: string, maxBytes: number): string {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const stat = fs.fstatSync(fd);
    keptStats ??= stat;
    if (stat.isDirectory()) throw new TextFileError('EISDIR', `${file} is a folder`);
    if (!stat.isFile()) throw new TextFileError('ENOTREG', `${file} is not a regular file (it is ${kindOf(stat)})`);
    if (stat.size > maxBytes) throw tooLarge(file, stat.size, maxBytes);
    // The size fstat gave is all that is read: a regular file cannot feed more than that into memory.
    const buffer = stat.size <= SHARED_BYTES ? shared : Buffer.allocUnsafe(stat.size);
    let length = 0;
    while (length < stat.size) {
      const read = fs.readSync(fd, buffer, length, stat.size - length, length);
      if (read === 0) break;
      length += read;
    }
    const text = buffer.toString('utf8', 0, length);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } finally {
    fs.closeSync(fd);
  }
}

// V8 forgets the hidden class of an object once none is alive at a full collection, and throws away the
// optimized code built for it: without one Stats kept, every read after a major collection ran Node's
// fstat wrapper unoptimized again, which made a discovery after one about a third slower.
let keptStats: fs.Stats | undefined;

// One buffer for every small file (package.json files are), so that a scan of thousands allocates none.
const SHARED_BYTES = 256 * 1024;
const shared = Buffer.allocUnsafe(SHARED_BYTES);

function tooLarge(file: string, size: number, maxBytes: number): TextFileError {
  return new TextFileError(
    'EFBIG',
    `${file} is ${describeBytes(size)}, over the limit of ${describeBytes(maxBytes)}`,
    size,
  );
}

/** `512 B`, `3.2 MiB`. */
export function describeBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Why a text is not valid JSON, with its line and column when known, never quoting the text itself
 * (the file may be a link to something private).
 */
export function jsonProblem(text: string, error: unknown): { message: string; line?: number; column?: number } {
  const raw = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(raw);
  if (position !== null) {
    const at = lineAndColumn(text, Number(position[1]));
    return { message: `not valid JSON at line ${at.line}, column ${at.column}`, ...at };
  }
  if (/end of JSON input/.test(raw)) return { message: 'not valid JSON: it ends too early' };
  const token = /^Unexpected token/.test(raw) ? firstBadToken(text) : undefined;
  if (token !== undefined) return { message: `not valid JSON at line ${token.line}, column ${token.column}`, ...token };
  return { message: 'not valid JSON' };
}

/** The line and column (both from 1) of an offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

// JSON.parse names an unexpected token without its position: find where a valid prefix stops.
function firstBadToken(text: string): { line: number; column: number } | undefined {
  const offset = text.search(/\S/);
  if (offset === -1) return undefined;
  return /[[{"\d\-tfn]/.test(text[offset]) ? undefined : lineAndColumn(text, offset);
}
