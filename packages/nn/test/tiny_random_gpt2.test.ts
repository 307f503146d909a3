// Published behaviour of a real checkpoint (/work/shared/fixtures/README.md): greedy decoding of
// hf-internal-testing/tiny-random-gpt2 to 10 tokens from [0,0,0,52] gives [0,0,0,52,204 x6] and from
// [0,0,195,731] gives [0,0,195,731,731,114 x5] (onnxruntime-genai's own tests).
import { noGrad } from '@gorch/autograd';
import { argmax, getBackendName, registeredBackends, setBackend, tensor, tidy } from '@gorch/tensor';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GPT, KVCache } from '../src/index';
import { loadSafetensors } from './hf_gpt2';

const dir = fileURLToPath(new URL('../../../../shared/fixtures/tiny-random-gpt2/hf/', import.meta.url));
const present = existsSync(dir);
const cases: [number[], number[]][] = [
  [[0, 0, 0, 52], [0, 0, 0, 52, 204, 204, 204, 204, 204, 204]],
  [[0, 0, 195, 731], [0, 0, 195, 731, 731, 114, 114, 114, 114, 114]],
];

function load(): GPT {
  const hf = JSON.parse(readFileSync(`${dir}config.json`, 'utf8'));
  const model = new GPT(
    { vocabSize: hf.vocab_size, nPositions: hf.n_positions, nEmbd: hf.n_embd, nHead: hf.n_head, nLayer: hf.n_layer, activation: hf.activation_function, layerNormEpsilon: hf.layer_norm_epsilon },
    { init: 'none' },
  ).tieLMHeadToEmbedding();
  const { missingKeys, unexpectedKeys } = model.loadStateDict(loadSafetensors(`${dir}model.safetensors`), { strict: false });
  expect(missingKeys).toEqual(['lm_head.weight']); // tied to wte, as tie_word_embeddings says
  expect(unexpectedKeys).toEqual([]);
  return model.eval();
}

function greedy(model: GPT, prompt: number[], total: number, useCache: boolean): number[] {
  return noGrad(() =>
    tidy(() => {
      const ids = [...prompt];
      const cache = useCache ? new KVCache(model.config.nLayer) : undefined;
      while (ids.length < total) {
        const input = useCache && cache!.length > 0 ? ids.slice(cache!.length) : ids;
        const logits = model.forward(tensor(Int32Array.from(input), { dtype: 'int32' }), { kvCache: cache });
        ids.push(argmax(logits.slice(0, input.length - 1, input.length).reshape([-1])).item());
      }
      cache?.dispose();
      return ids;
    }),
  );
}

const initial = getBackendName();

describe.skipIf(!present).each(registeredBackends())('tiny-random-gpt2 greedy decoding on backend %s', (backend) => {
  beforeEach(() => setBackend(backend));
  afterEach(() => setBackend(initial));

  it.each(cases)('from %j gives the published ids, with and without a KV cache', (prompt, expected) => {
    tidy(() => {
      const model = load();
      expect(greedy(model, prompt, 10, false)).toEqual(expected);
      expect(greedy(model, prompt, 10, true)).toEqual(expected);
    });
  });
});

if (!present) console.warn(`tiny-random-gpt2 tests skipped: ${dir} is absent`);
