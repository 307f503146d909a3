// encodeBatch = texts.map(encode), in input order, whether it loops or uses worker threads.
import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_WORKER_THRESHOLD } from '../src/index';
import { loadGPT2Tokenizer } from '../src/gpt2';
import { sotuSpeeches } from '../bench/corpora';
import { getEncoding } from 'js-tiktoken';

afterAll(async () => (await loadGPT2Tokenizer()).dispose());

describe('encodeBatch', () => {
  it('small batches', async () => {
    const tok = await loadGPT2Tokenizer();
    const texts = ['hello world', '', ' Hello, world!', 'hello <|endoftext|>'];
    expect(await tok.encodeBatch(texts)).toEqual([[31373, 995], [], [18435, 11, 995, 0], tok.encode('hello <|endoftext|>')]);
    expect(await tok.encodeBatch(texts, { allowedSpecial: 'all' })).toEqual(texts.map((t) => tok.encode(t, { allowedSpecial: 'all' })));
  });

  it('a batch above the worker threshold: the SOTU speeches, in order', { timeout: 60_000 }, async () => {
    const tok = await loadGPT2Tokenizer();
    const speeches = sotuSpeeches();
    expect(speeches.reduce((n, s) => n + s.length, 0)).toBeGreaterThan(BATCH_WORKER_THRESHOLD);
    const got = await tok.encodeBatch(speeches);
    expect(got.length).toBe(speeches.length);
    const tiktoken = getEncoding('gpt2');
    for (const i of [0, 1, 100, 150, speeches.length - 1]) expect(got[i]).toEqual(tiktoken.encode(speeches[i]!));
    expect(got).toEqual(speeches.map((s) => tok.encode(s)));
  });

  it('rejects non-strings', async () => {
    const tok = await loadGPT2Tokenizer();
    await expect(tok.encodeBatch(['a', 3 as unknown as string])).rejects.toThrow(/texts\[1\]/);
  });
});
