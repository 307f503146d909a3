import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noGrad } from '@gorch/autograd';
import { tensor } from '@gorch/tensor';
import {
  DEFAULT_PROMPT, defaultGenerateConfig, defaultModelDir, generate, generateText, generateTextPieces, generateWithConfig,
  GenerateError, greedyConfig, loadGPT2, loadGPT2Tokenizer, streamText,
} from '../src/index';

const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));

describe('embedded default model (arcsf-cities base)', () => {
  it('is found next to the module and completes its default prompt greedily with "the capital of france is paris"', async () => {
    const dir = defaultModelDir();
    const [model, tok] = await Promise.all([loadGPT2(dir), loadGPT2Tokenizer(dir)]);
    // 12 tokens: " the capital of france is paris", spaces being their own token (id 220)
    expect(generateText(model, tok, DEFAULT_PROMPT, greedyConfig(12))).toBe('what is the capital of france? the capital of france is paris');
  });
});

describe('generation', () => {
  const load = async () => {
    const dir = defaultModelDir();
    return { model: await loadGPT2(dir), tok: await loadGPT2Tokenizer(dir) };
  };

  it('stops after the stop token, which ends the ids and is not decoded', async () => {
    const { model, tok } = await load();
    const prompt = tok.encode('what is the capital of italy? the capital of italy is ');
    const rome = tok.encode('rome')[0];
    const ids = generateWithConfig(model, prompt, { ...greedyConfig(20), stopToken: rome });
    expect(ids).toEqual([...prompt, rome]);
    expect(generateText(model, tok, 'what is the capital of italy?', { ...greedyConfig(20), stopToken: rome })).toBe('what is the capital of italy? the capital of italy is ');
  });

  it('a seed makes sampling reproducible, with or without the cache', async () => {
    const { model, tok } = await load();
    const prompt = tok.encode('what is the');
    const cfg = { ...defaultGenerateConfig(), maxNewTokens: 15, temperature: 1.5, seed: 7 };
    const a = generateWithConfig(model, prompt, cfg);
    expect(generateWithConfig(model, prompt, cfg)).toEqual(a);
    expect(generateWithConfig(model, prompt, { ...cfg, useKVCache: false })).toEqual(a);
    const others = [8, 9, 10].map((seed) => generateWithConfig(model, prompt, { ...cfg, seed }).join());
    expect(others.some((o) => o !== a.join())).toBe(true);
  });

  it('crops the context to n_positions (40) instead of reading past wpe, same with and without the cache', async () => {
    const { model, tok } = await load();
    const prompt = tok.encode('what is the capital of france? the capital of france is paris what is the capital of germany? what is the capital of italy?');
    expect(prompt.length).toBeGreaterThan(40);
    const withCache = generate(model, prompt, 25);
    expect(generateWithConfig(model, prompt, { ...greedyConfig(25), useKVCache: false })).toEqual(withCache);
    // reference: argmax of a plain forward over the last 40 tokens, step by step
    const ref = [...prompt];
    noGrad(() => {
      for (let i = 0; i < 25; i++) {
        const win = ref.slice(-40);
        const logits = model.forward(tensor(Int32Array.from(win), { shape: [win.length], dtype: 'int32' })).dataSync();
        const last = Array.from(logits.slice((win.length - 1) * 307));
        ref.push(last.indexOf(Math.max(...last)));
      }
    });
    expect(withCache).toEqual(ref);
  });

  it('rejects an empty prompt, an id outside the vocabulary and a bad config with GenerateError', async () => {
    const { model } = await load();
    expect(() => generate(model, [], 3)).toThrow(GenerateError);
    expect(() => generate(model, [5, 307], 3)).toThrow(/token id 307 at position 1 is outside \[0, 307\)/);
    expect(() => generate(model, [5], -1)).toThrow(/maxNewTokens/);
    expect(generate(model, [5], 0)).toEqual([5]);
  });
});

describe.skipIf(!existsSync(fixtures))('streaming text', () => {
  it('yields pieces only at UTF-8 boundaries; they add up to decode(new ids)', async () => {
    // a random-weight model over the real GPT-2 vocabulary samples many byte-fragment tokens
    const model = await loadGPT2(fixtures + 'fake-gpt2-fullvocab');
    const tok = await loadGPT2Tokenizer(fixtures + 'gpt2-tokenizer');
    const cfg = { ...defaultGenerateConfig(), maxNewTokens: 120, topK: 0, seed: 3 };
    const prompt = 'Hello';
    const ids = generateWithConfig(model, tok.encode(prompt), cfg).slice(tok.encode(prompt).length);
    const fragments = ids.filter((id) => tok.decode([id]).includes('\uFFFD')).length;
    expect(fragments).toBeGreaterThan(0); // the case under test actually happens
    const pieces = [...generateTextPieces(model, tok, prompt, cfg)];
    expect(pieces.join('')).toBe(tok.decode(ids));
    const streamed: string[] = [];
    for await (const p of streamText(model, tok, prompt, cfg)) streamed.push(p);
    expect(streamed).toEqual(pieces);
    const viaCallback: string[] = [];
    expect(generateText(model, tok, prompt, cfg, (p) => viaCallback.push(p))).toBe(prompt + tok.decode(ids));
    expect(viaCallback).toEqual(pieces);
  });
});

describe('generate argument types', () => {
  it('accepts ids as an Int32Array or a [T] / [1, T] int32 Tensor, with the same result as an array', async () => {
    const model = await loadGPT2(defaultModelDir());
    const ids = [5, 220, 291];
    const want = generate(model, ids, 4);
    expect(want.slice(0, 3)).toEqual(ids);
    expect(generate(model, Int32Array.from(ids), 4)).toEqual(want);
    expect(generate(model, tensor(Int32Array.from(ids), { shape: [3], dtype: 'int32' }), 4)).toEqual(want);
    expect(generate(model, tensor(Int32Array.from(ids), { shape: [1, 3], dtype: 'int32' }), 4)).toEqual(want);
  });

  it('names ids and cfg when they are the wrong kind of value', async () => {
    const model = await loadGPT2(defaultModelDir());
    expect(() => generate(model, tensor(Int32Array.from([1, 2, 3, 4]), { shape: [2, 2], dtype: 'int32' }), 2)).toThrow(/^generate: ids must be a \[T\] or \[1, T\] tensor \(one sequence\), got shape \[2, 2\]$/);
    expect(() => generate(model, 'hello' as never, 2)).toThrow(GenerateError);
    expect(() => generate(model, 'hello' as never, 2)).toThrow(/^generate: ids must be an array of token ids.*got string$/);
    expect(() => generateWithConfig(model, [1, 2], null as never)).toThrow(/^GenerateConfig: cfg must be an object/);
  });
});
