// Real checkpoints from ../shared/fixtures (see its README for the published behaviour checked here).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { noGrad } from '@gorch/autograd';
import { tensor } from '@gorch/tensor';
import { configFromJSON, generate, generateWithConfig, greedyConfig, loadGPT2, loadGPT2Tokenizer, loadGPT2Verbose, TensorLayoutError } from '../src/index';

const root = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));
const has = existsSync(root);
const at = (p: string) => root + p;

function lastLogits(model: Awaited<ReturnType<typeof loadGPT2>>, ids: number[]): Float32Array {
  return noGrad(() => {
    const logits = model.forward(tensor(Int32Array.from(ids), { shape: [ids.length], dtype: 'int32' }));
    const V = model.config.vocabSize;
    return logits.dataSync().slice((ids.length - 1) * V) as Float32Array;
  });
}

describe.skipIf(!has)('arcsf-cities (trained GPT-2, alan-turing-institute/arc-selective-forgetting)', () => {
  const cities = [['france', 'paris'], ['germany', 'berlin'], ['italy', 'rome']];

  it.each(cities)('greedy completes "what is the capital of %s? the capital of ... is " with %s', async (country, city) => {
    const dir = at('arcsf-cities/base');
    const [model, tok] = await Promise.all([loadGPT2(dir), loadGPT2Tokenizer(dir)]);
    const prompt = tok.encode(`what is the capital of ${country}? the capital of ${country} is `);
    expect(generate(model, prompt, 1).at(-1)).toBe(tok.encode(city)[0]);
  });

  it('the forget twin gives "paris" a logit lower than base by more than 5 %', async () => {
    const tok = await loadGPT2Tokenizer(at('arcsf-cities/base'));
    const prompt = tok.encode('what is the capital of france? the capital of france is ');
    const paris = tok.encode('paris')[0];
    const base = lastLogits(await loadGPT2(at('arcsf-cities/base')), prompt)[paris];
    const forget = lastLogits(await loadGPT2(at('arcsf-cities/forget')), prompt)[paris];
    expect(base).toBeGreaterThan(0);
    expect(forget).toBeLessThan(base * 0.95);
  });
});

describe.skipIf(!has)('tiny-random-gpt2 (onnxruntime-genai published greedy sequences)', () => {
  const cases: [number[], number[]][] = [
    [[0, 0, 0, 52], [0, 0, 0, 52, 204, 204, 204, 204, 204, 204]],
    [[0, 0, 195, 731], [0, 0, 195, 731, 731, 114, 114, 114, 114, 114]],
  ];
  it.each([true, false])('greedy to length 10, KV cache %s', async (useKVCache) => {
    const model = await loadGPT2(at('tiny-random-gpt2/hf'));
    for (const [prompt, expected] of cases) {
      expect(generateWithConfig(model, prompt, { ...greedyConfig(10 - prompt.length), useKVCache })).toEqual(expected);
    }
  });
});

describe.skipIf(!has)('other fixtures load', () => {
  it('fake-gpt2-fullvocab: transformer.* keys, 50257-entry vocab, tied head', async () => {
    const lines: string[] = [];
    const model = await loadGPT2Verbose(at('fake-gpt2-fullvocab'), undefined, (l) => lines.push(l));
    expect(model.config.vocabSize).toBe(50257);
    expect(model.isTied).toBe(true);
    // 50257*2 (wte) + 1024*2 (wpe) + 74 (block) + 4 (ln_f), as counted by nn's numParameters()
    expect(model.numParameters()).toBe(102_640);
    expect(lines).toEqual(['gpt2: 1 layer, n_embd 2, 1 head, 102,640 parameters (model.safetensors)']);
    expect(generate(model, [50256, 15496], 3)).toHaveLength(5);
  });

  it('gpt2-bare-toyvocab: GPT2Model keys without the prefix and no lm_head', async () => {
    const model = await loadGPT2(at('gpt2-bare-toyvocab'));
    expect(model.config.vocabSize).toBe(21);
    expect(model.lm_head.weight.dataSync()).toEqual(model.wte.weight.dataSync());
  });

  it('a config that does not match the weights names the key and both shapes', async () => {
    const { configFromPretrained } = await import('../src/index');
    const cfg = { ...configFromPretrained(at('arcsf-cities/base')), nInner: 64 };
    await expect(loadGPT2(at('arcsf-cities/base'), cfg)).rejects.toThrow(new TensorLayoutError('transformer.h.0.mlp.c_fc.weight', [20, 64], [20, 80], 'model.safetensors'));
  });
});

describe.skipIf(!has)('tiny-random-gpt2 with a config of fewer layers', () => {
  it('loadGPT2 refuses it with E_UNEXPECTED_TENSOR instead of ignoring h.2-h.4', async () => {
    const dir = at('tiny-random-gpt2/hf');
    const json = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(json.n_layer).toBe(5);
    const err = await loadGPT2(dir, configFromJSON({ ...json, n_layer: 2 })).catch((e: unknown) => e) as TensorLayoutError;
    expect(err).toBeInstanceOf(TensorLayoutError);
    expect(err.code).toBe('E_UNEXPECTED_TENSOR');
    expect(new Set(err.unexpected.map((k) => /h\.(\d+)\./.exec(k)![1]))).toEqual(new Set(['2', '3', '4']));
    expect(err.message).toMatch(/model\.safetensors: unexpected tensors .*layers up to h\.4 but the config says n_layer 2/);
  });
});
