// SimpleTokenizer is nanoGPT's character-level scheme (data/shakespeare_char/prepare.py):
// chars = sorted(set(text)), stoi = {ch: i}.
import { describe, expect, it } from 'vitest';
import { SimpleTokenizer, TokenizerError, UnknownTokenIdError } from '../src/index';

describe('SimpleTokenizer', () => {
  it('sorts the corpus characters by code point', () => {
    const tok = new SimpleTokenizer('hello world');
    expect(tok.chars).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(tok.vocabSize).toBe(8);
    expect(tok.encode('hello')).toEqual([3, 2, 4, 4, 5]);
    expect(tok.decode([7, 5, 6, 4, 1])).toBe('world');
  });

  it('keeps astral characters whole', () => {
    const tok = new SimpleTokenizer('a🦙b');
    expect(tok.vocabSize).toBe(3);
    expect(tok.encode('🦙a')).toEqual([2, 0]);
  });

  it('rejects unknown characters and ids', () => {
    const tok = new SimpleTokenizer('abc');
    expect(() => tok.encode('abz')).toThrow(TokenizerError);
    expect(() => tok.encode('abz')).toThrow(/"z"/);
    expect(() => tok.decode([3])).toThrow(UnknownTokenIdError);
    expect(() => new SimpleTokenizer('')).toThrow(TokenizerError);
  });
});
