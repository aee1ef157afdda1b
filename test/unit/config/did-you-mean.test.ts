import { closest, didYouMean, editDistance } from '../../../src/did-you-mean';

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one each', () => {
    expect(editDistance('size', 'size')).toBe(0);
    expect(editDistance('szie', 'size')).toBe(1);
    expect(editDistance('sie', 'size')).toBe(1);
    expect(editDistance('sizes', 'size')).toBe(1);
    expect(editDistance('sise', 'size')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('stops early past the limit, answering just over it', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
  });

  it('suggests the one close candidate, ignoring case', () => {
    expect(closest('szie', ['size', 'mode', 'threads'])).toBe('size');
    expect(closest('THREADS', ['threads'])).toBe('threads');
    expect(closest('threds', ['threads', 'mode'])).toBe('threads');
  });

  it('suggests nothing when none is close, or two are as close', () => {
    expect(closest('colour', ['size', 'mode'])).toBeUndefined();
    expect(closest('abc', ['abd', 'abe'])).toBeUndefined();
    expect(closest('size', ['size'])).toBeUndefined();
  });

  it('allows a third of the word, at least one edit and at most three', () => {
    expect(closest('ab', ['ac'])).toBe('ac');
    expect(closest('abc', ['xyc'])).toBeUndefined();
    expect(closest('abcdef', ['abcdxy'])).toBe('abcdxy');
    expect(closest('abcdefghijklmnop', ['abcdefghijklmxyz'])).toBe('abcdefghijklmxyz');
    expect(closest('abcdefghijklmnop', ['abcdefghijklwxyz'])).toBeUndefined();
  });

  it('ends a sentence with the hint, or with nothing', () => {
    expect(didYouMean('szie', ['size'])).toBe('; did you mean "size"?');
    expect(didYouMean('colour', ['size'])).toBe('');
  });
});
