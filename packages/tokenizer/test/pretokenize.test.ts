// The hand-written scanner must split exactly like tiktoken's gpt2 regex (run by the JS engine).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GPT2_PATTERN, pretokenize } from '../src/index';
import { mobyDickSections } from '../bench/corpora';

const byRegex = (text: string): string[] => text.match(GPT2_PATTERN) ?? [];

describe('pretokenize', () => {
  it('matches the regex on known tricky inputs', () => {
    for (const text of [
      "I'm don't WE'LL it'S 'tis ''s", '   leading', 'trailing   ', 'a  b', 'a\n\n b', '\t\tx', ' 123 ', '$$$ !!!', 'naïve café',
      '🦙.cpp', 'x\u00a0\u00a0y', '\ud800abc', 'ab\udc00', ' \ud83e', '', ' ', 'e\u0301\u0301', "can't'", ' \'s',
    ]) {
      expect(pretokenize(text)).toEqual(byRegex(text));
    }
  });

  it('contractions are lower case only and whitespace leaves its last space to the next word', () => {
    expect(pretokenize("I'M he's")).toEqual(['I', "'", 'M', ' he', "'s"]);
    expect(pretokenize('a   b')).toEqual(['a', '  ', ' b']);
    expect(pretokenize('a \n b')).toEqual(['a', ' \n', ' b']);
  });

  it('matches the regex on every Moby Dick section', () => {
    for (const s of mobyDickSections()) expect(pretokenize(s)).toEqual(byRegex(s));
  });

  it('matches the regex on generated unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.constantFrom(' ', '\n', "'", 's', 'A', '1', '\u00a0', '\ud800', '.'), maxLength: 40 }), (a, b) => {
        expect(pretokenize(a + b)).toEqual(byRegex(a + b));
        expect(pretokenize(b + a)).toEqual(byRegex(b + a));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});
