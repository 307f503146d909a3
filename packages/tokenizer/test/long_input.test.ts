// Linear-time merging and pre-tokenizing: a million repeats of one character is a single piece.
// The timeouts only stop a quadratic implementation from hanging the suite; speed itself is in bench/.
import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { loadGPT2Tokenizer } from '../src/gpt2';

const tiktoken = getEncoding('gpt2');

describe('one million repeats', () => {
  it('of a character with no merges: one token per character', { timeout: 20_000 }, async () => {
    const tok = await loadGPT2Tokenizer();
    // U+007F has no merge in GPT-2's merges.txt with itself, so every byte stays a token (id 221).
    expect(tiktoken.encode('\x7f'.repeat(1000), [], [])).toEqual(new Array(1000).fill(221));
    const ids = tok.encode('\x7f'.repeat(1_000_000));
    expect(ids.length).toBe(1_000_000);
    expect(ids.every((id) => id === 221)).toBe(true);
  });

  it.each([['a'], [' '], ['0'], ['!'], ['é'], ['中'], ['🦙']])('of %j: js-tiktoken ids, continued periodically', { timeout: 20_000 }, async (ch) => {
    const tok = await loadGPT2Tokenizer();
    // js-tiktoken's merge loop is quadratic, so it is asked for ~2400 bytes; merging a uniform run
    // is periodic away from its end, which extends that reference to a million.
    const n = Math.floor(2400 / new TextEncoder().encode(ch).length);
    const small = tiktoken.encode(ch.repeat(n), [], []);
    expect(tok.encode(ch.repeat(n))).toEqual(small);
    const stable = small.length - 10;
    let period = 1;
    while (small.slice(period, stable).some((id, i) => id !== small[i])) period++;
    expect(period).toBeLessThan(stable / 4);
    const ids = tok.encode(ch.repeat(1_000_000));
    expect(ids.slice(0, stable)).toEqual(small.slice(0, stable));
    let offPeriod = 0;
    for (let i = period; i < ids.length - 10; i++) if (ids[i] !== ids[i - period]) offPeriod++;
    expect(offPeriod).toBe(0);
    expect(tok.decode(ids)).toBe(ch.repeat(1_000_000));
  });
});
