// The bundled compact GPT-2 data (tools/tokenizer/build-gpt2-data.ts) must be OpenAI's vocab.json
// and merges.txt exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../src/index';
import { loadGPT2Tokenizer } from '../src/gpt2';
import { GPT2_DIR, HAVE_FIXTURES } from './fixtures';

describe.skipIf(!HAVE_FIXTURES)('bundled GPT-2 data', () => {
  it('has the same vocabulary, merges and byte map as the original files', async () => {
    const bundled = await loadGPT2Tokenizer();
    const vocab: Record<string, number> = JSON.parse(readFileSync(`${GPT2_DIR}vocab.json`, 'utf8'));
    expect(Object.fromEntries(bundled.encoder)).toEqual(vocab);
    const merges = readFileSync(`${GPT2_DIR}merges.txt`, 'utf8').split('\n').slice(1).filter(Boolean);
    expect([...bundled.bpeRanks.keys()]).toEqual(merges);
    expect([...bundled.bpeRanks.values()]).toEqual(merges.map((_, r) => r));
    const files = await loadTokenizer(`${GPT2_DIR}vocab.json`, `${GPT2_DIR}merges.txt`);
    expect(bundled.byteEncoder).toEqual(files.byteEncoder);
    expect(bundled.byteEncoder.get(32)).toBe('Ġ'); // encoder.py: space → U+0120
    expect(bundled.byteDecoder.get('Ġ')).toBe(32);
    expect(bundled.decoder.get(50256)).toBe('<|endoftext|>');
    expect([...bundled.specialTokens]).toEqual([['<|endoftext|>', 50256]]);
  });

  it('is one shared instance', async () => {
    expect(await loadGPT2Tokenizer()).toBe(await loadGPT2Tokenizer());
  });
});
