import * as fs from 'node:fs';
import { describeBytes, jsonProblem, lineAndColumn, readTextFile, TextFileError } from '../../src/text-file';
import { PackageTree } from '../support/package-tree';

function parseError(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error('expected invalid JSON');
}

describe('readTextFile', () => {
  let tree: PackageTree;
  beforeEach(() => {
    tree = PackageTree.create('text-file');
  });
  afterEach(() => tree.remove());

  it('reads a file, dropping a byte-order mark', () => {
    expect(readTextFile(tree.write('a.txt', '\ufeffhello'), 100)).toBe('hello');
    expect(readTextFile(tree.write('b.txt', 'hello'), 5)).toBe('hello');
  });

  it('refuses a folder, and a file over the cap with its size', () => {
    fs.mkdirSync(tree.path('folder'));
    expect(() => readTextFile(tree.path('folder'), 100)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    const error = (() => {
      try {
        readTextFile(tree.write('big.txt', 'x'.repeat(10)), 5);
      } catch (caught) {
        return caught as TextFileError;
      }
      throw new Error('expected EFBIG');
    })();
    expect(error).toBeInstanceOf(TextFileError);
    expect([error.code, error.size]).toEqual(['EFBIG', 10]);
  });

  it('lets the file system error of a missing file through', () => {
    expect(() => readTextFile(tree.path('missing.txt'), 100)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('jsonProblem', () => {
  it('gives the line and column when the parser gives a position, never the text', () => {
    const text = '{\n  "a": 1\n  "b": 2\n}';
    expect(jsonProblem(text, parseError(text))).toEqual({
      message: 'not valid JSON at line 3, column 3',
      line: 3,
      column: 3,
    });
  });

  it('points at a first character that cannot start JSON', () => {
    const text = '\n  secret: value';
    const problem = jsonProblem(text, parseError(text));
    expect(problem).toEqual({ message: 'not valid JSON at line 2, column 3', line: 2, column: 3 });
    expect(problem.message).not.toContain('secret');
  });

  it('says when the text ends too early, and falls back to a plain message', () => {
    expect(jsonProblem('{"a":', parseError('{"a":')).message).toBe('not valid JSON: it ends too early');
    expect(jsonProblem('{"a": }', parseError('{"a": }')).message).toBe('not valid JSON');
    expect(jsonProblem('x', 'not an error').message).toBe('not valid JSON');
  });
});

describe('small helpers', () => {
  it('describes sizes and positions', () => {
    expect([describeBytes(512), describeBytes(2048), describeBytes(3 * 1024 * 1024)]).toEqual([
      '512 B',
      '2.0 KiB',
      '3.0 MiB',
    ]);
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
