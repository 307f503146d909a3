// PyTorch parity. Golden: tools/fixtures/gpt2_parity.py (a GPT-2 and a GPT-Neo written in torch from
// the HF semantics, random weights saved in HF key layout as safetensors and as a torch.save zip).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noGrad } from '@gorch/autograd';
import { tensor, type Tensor } from '@gorch/tensor';
import { configFromPretrained, causalLMLoss, causalLMLossBatch, generateWithConfig, gorchToHF, greedyConfig, loadGPT2, newKVCache, type HostTensor } from '../src/index';

const golden = new URL('./golden/', import.meta.url);
const parity = JSON.parse(readFileSync(new URL('gpt2_parity.json', golden), 'utf8'));
const TOL = 1e-4;

function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst, `${what}: max |diff|`).toBeLessThan(TOL);
}

const logitsOf = (t: Tensor) => noGrad(() => t.dataSync());

describe.each(['gpt2', 'gpt_neo'] as const)('%s', (kind) => {
  const g = parity[kind];
  const dir = fileURLToPath(new URL(`${g.dir}/`, golden));

  it.each(['model.safetensors', 'pytorch_model.bin'])('logits from %s match torch within 1e-4', async (file) => {
    const model = await loadGPT2(dir + file);
    const ids: number[] = g.tokens.slice(0, -1);
    const logits = noGrad(() => model.forward(tensor(Int32Array.from(ids), { shape: [ids.length], dtype: 'int32' })));
    expect(logits.shape).toEqual(g.logits_shape);
    expectClose(logitsOf(logits), g.logits, 'logits');
  });

  it.skipIf(kind !== 'gpt2').each(['model.safetensors.index.json', 'pytorch_model.bin.index.json'])('sharded checkpoint (%s) gives the same logits', async (index) => {
    const model = await loadGPT2(fileURLToPath(new URL(`${g.dir}-sharded/${index}`, golden)));
    const ids: number[] = g.tokens.slice(0, -1);
    const logits = noGrad(() => model.forward(tensor(Int32Array.from(ids), { shape: [ids.length], dtype: 'int32' })));
    expectClose(logitsOf(logits), g.logits, 'logits');
  });

  it('incremental logits with the KV cache equal the full forward (local window included)', async () => {
    const model = await loadGPT2(dir);
    const ids: number[] = g.tokens.slice(0, -1);
    const V = model.config.vocabSize;
    const cache = newKVCache(model);
    noGrad(() => {
      const first = model.forward(tensor(Int32Array.from(ids.slice(0, 3)), { shape: [3], dtype: 'int32' }), { kvCache: cache });
      expectClose(first.dataSync(), g.logits.slice(0, 3 * V), 'prefill');
      for (let t = 3; t < ids.length; t++) {
        const step = model.forward(tensor(Int32Array.from([ids[t]]), { shape: [1], dtype: 'int32' }), { kvCache: cache });
        expectClose(step.dataSync(), g.logits.slice(t * V, (t + 1) * V), `position ${t}`);
      }
    });
    expect(cache.length).toBe(ids.length);
    cache.dispose();
  });

  it('causalLMLoss and its gradients (HF layout) match torch within 1e-4', async () => {
    const model = await loadGPT2(dir);
    model.zeroGrad();
    const loss = causalLMLoss(model, g.tokens);
    expect(loss.shape).toEqual([]);
    expect(Math.abs(loss.item() - g.loss)).toBeLessThan(TOL);
    loss.backward();
    const grads = new Map<string, HostTensor>();
    for (const [name, p] of Object.entries(model.stateDict())) {
      grads.set(name, { shape: [...p.shape], data: p.grad!.dataSync() as Float32Array });
    }
    const hf = gorchToHF(grads, model.hfConfig);
    expect([...hf.keys()].sort()).toEqual(Object.keys(g.grads).sort());
    for (const [k, v] of hf) expectClose(v.data, g.grads[k], `grad ${k}`);
  });

  it('batched causalLMLoss ignores padding', async () => {
    const model = await loadGPT2(dir);
    const loss = noGrad(() => causalLMLossBatch(model, g.batch.seqs));
    expect(Math.abs(loss.item() - g.batch.loss)).toBeLessThan(TOL);
  });

  it.each([true, false])('greedy decoding matches torch (KV cache %s)', async (useKVCache) => {
    const model = await loadGPT2(dir);
    expect(generateWithConfig(model, g.greedy.prompt, { ...greedyConfig(g.greedy.max_new_tokens), useKVCache })).toEqual(g.greedy.ids);
  });
});

describe('GPT-Neo semantics matter (the fixture would catch a GPT-2-style load)', () => {
  const g = parity.gpt_neo;
  const dir = fileURLToPath(new URL(`${g.dir}/`, golden));
  const maxDiff = async (over: object) => {
    const model = await loadGPT2(dir, { ...configFromPretrained(dir), ...over });
    const ids: number[] = g.tokens.slice(0, -1);
    const out = noGrad(() => model.forward(tensor(Int32Array.from(ids), { shape: [ids.length], dtype: 'int32' })).dataSync());
    return Math.max(...g.logits.map((v: number, i: number) => Math.abs(v - out[i])));
  };
  it('scaling scores by 1/sqrt(head_dim) changes the logits', async () => {
    expect(await maxDiff({ scaleAttnWeights: true })).toBeGreaterThan(1e-2);
  });
  it('making every layer global changes the logits', async () => {
    expect(await maxDiff({ attentionLayers: ['global', 'global'] })).toBeGreaterThan(1e-2);
  });
});
