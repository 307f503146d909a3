// Published GPT-2 token ids (shared/fixtures/gpt2-tokenizer-vectors/vectors.json: llama.cpp's
// AutoTokenizer output, tiktoken's and GPT-3-Encoder's test tables) through every way of loading.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BPETokenizer, loadTokenizer, loadTokenizerJSON } from '../src/index';
import { loadGPT2Tokenizer } from '../src/gpt2';
import { FIXTURES, GPT2_DIR, HAVE_FIXTURES, vectors } from './fixtures';

describe.skipIf(!HAVE_FIXTURES)('GPT-2 published vectors', async () => {
  const once = (load: () => Promise<BPETokenizer>): (() => Promise<BPETokenizer>) => {
    let tok: Promise<BPETokenizer> | undefined;
    return () => (tok ??= load());
  };
  const loaders: [string, () => Promise<BPETokenizer>][] = [
    ['vocab.json + merges.txt', once(() => loadTokenizer(`${GPT2_DIR}vocab.json`, `${GPT2_DIR}merges.txt`))],
    ['tokenizer.json', once(() => loadTokenizerJSON(`${GPT2_DIR}tokenizer.json`))],
    ['bundled @gorch/tokenizer/gpt2', loadGPT2Tokenizer],
  ];
  const cases = HAVE_FIXTURES ? vectors().suites.flatMap((s) => s.cases) : [];

  describe.each(loaders)('%s', (_name, load) => {
    it.each(cases.map((c) => [JSON.stringify(c.text).slice(0, 60), c] as const))('%s', async (_label, c) => {
      const tok = await load();
      expect(tok.encode(c.text)).toEqual(c.ids);
      expect(tok.decode(c.ids)).toBe(c.text);
    });

    it('allows <|endoftext|> only when asked (tiktoken test_encoding.py: [31373, 220, 50256])', async () => {
      const tok = await load();
      expect(tok.encode('hello <|endoftext|>', { allowedSpecial: 'all' })).toEqual([31373, 220, 50256]);
      expect(tok.encode('hello <|endoftext|>', { allowedSpecial: ['<|endoftext|>'] })).toEqual([31373, 220, 50256]);
      // Default: plain text, as GPT-2 spells the characters "<|endoftext|>".
      const plain = tok.encode('hello <|endoftext|>');
      expect(plain).not.toContain(50256);
      expect(tok.decode(plain)).toBe('hello <|endoftext|>');
      expect(tok.vocabSize).toBe(50257);
      expect(tok.decode([50256])).toBe('<|endoftext|>');
    });
  });

  it('toy vocabulary of gpt2-bare-toyvocab (transformers test_full_tokenizer)', () => {
    const toy = vectors().toy_vocab;
    const dir = `${FIXTURES}gpt2-bare-toyvocab/`;
    const tok = BPETokenizer.fromVocabAndMerges(readFileSync(`${dir}vocab.json`, 'utf8'), readFileSync(`${dir}merges.txt`, 'utf8'));
    // add_prefix_space=True in the original test is the same as encoding " " + text.
    const ids = tok.encode(` ${toy.text}`);
    expect(ids).toEqual(toy.ids);
    expect(ids.map((id) => tok.decoder.get(id))).toEqual(toy.tokens);
  });
});
