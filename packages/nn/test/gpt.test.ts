// Golden values: tools/fixtures/nn_modules.py (python3-torch, a GPT written from HF GPT-2 / GPT-Neo
// semantics in tools/fixtures/gpt_reference.py) → test/golden/modules.json ("gpt").
import { noGrad } from '@gorch/autograd';
import { Generator, IndexError, cat, getBackendName, registeredBackends, setBackend, tensor, tidy, type Tensor } from '@gorch/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextLengthError, GPT, KVCache, crossEntropy, type GPTConfig } from '../src/index';
import golden from './golden/modules.json';
import { FWD, GRAD, expectClose, fromJson, stateDictFromJson, type JsonTensor } from './helpers';

interface GPTCase {
  name: string;
  config: GPTConfig;
  tied: boolean;
  params: Record<string, JsonTensor>;
  ids: JsonTensor;
  targets: JsonTensor;
  logits: JsonTensor;
  logitsFirstSequence: JsonTensor;
  loss: number;
  paramGrads: Record<string, JsonTensor>;
}

const cases = golden.gpt as unknown as GPTCase[];

function load(c: GPTCase): GPT {
  const model = new GPT(c.config, { init: 'none' });
  if (c.tied) model.tieLMHeadToEmbedding();
  const { missingKeys } = model.loadStateDict(stateDictFromJson(c.params), { strict: false });
  expect(missingKeys).toEqual(c.tied ? ['lm_head.weight'] : []);
  return model;
}

const initial = getBackendName();

describe.each(registeredBackends())('GPT vs PyTorch on backend %s', (backend) => {
  beforeEach(() => setBackend(backend));
  afterEach(() => setBackend(initial));

  it.each(cases.map((c) => [c.name, c] as const))('%s: logits, loss and every parameter gradient', (_n, c) => {
    tidy(() => {
      const model = load(c);
      const logits = model.forward(fromJson(c.ids));
      expectClose(logits, c.logits, ...FWD, 'logits');
      const loss = crossEntropy(logits, fromJson(c.targets));
      expectClose(loss, { shape: [], dtype: 'float32', data: [c.loss] }, ...FWD, 'loss');
      loss.backward();
      const names = [...model.namedParameters()].map(([n]) => n);
      expect(names.sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [n, p] of model.namedParameters()) expectClose(p.grad, c.paramGrads[n], ...GRAD, `${n}.grad`);
    });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: one sequence [T] gives logits [T, vocab]', (_n, c) => {
    tidy(() => {
      const model = load(c);
      const ids = fromJson(c.ids);
      const first = ids.slice(0, 0, 1).reshape([ids.shape[1]]);
      expectClose(noGrad(() => model.forward(first)), c.logitsFirstSequence, ...FWD, 'logits [T, vocab]');
    });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: logits with a KV cache equal logits without it', (_n, c) => {
    tidy(() => {
      const model = load(c);
      const ids = fromJson(c.ids);
      const t = ids.shape[1];
      using cache = new KVCache(c.config.nLayer);
      const chunks: Tensor[] = [];
      // A prompt of 3 positions, then one token at a time.
      noGrad(() => {
        chunks.push(model.forward(ids.slice(1, 0, 3), { kvCache: cache }));
        for (let i = 3; i < t; i++) chunks.push(model.forward(ids.slice(1, i, i + 1), { kvCache: cache }));
      });
      expect(cache.length).toBe(t);
      expectClose(cat(chunks, 1), c.logits, ...FWD, 'cached logits');
    });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: the composed attention (dropout active) gives the same logits, cached or not', (_n, c) => {
    tidy(() => {
      // attn_pdrop so small that no probability is dropped (seeded): the forward takes the composed
      // softmax(q kᵀ + mask) v path instead of the fused kernel and must match the same PyTorch logits.
      const model = new GPT({ ...c.config, attnPdrop: 1e-12 }, { init: 'none', generator: new Generator(3) });
      if (c.tied) model.tieLMHeadToEmbedding();
      model.loadStateDict(stateDictFromJson(c.params), { strict: false });
      expect(model.training).toBe(true);
      const ids = fromJson(c.ids);
      expectClose(noGrad(() => model.forward(ids)), c.logits, ...FWD, 'composed logits');
      using cache = new KVCache(c.config.nLayer);
      const chunks = noGrad(() => [model.forward(ids.slice(1, 0, 3), { kvCache: cache }), ...Array.from({ length: ids.shape[1] - 3 }, (_, i) => model.forward(ids.slice(1, 3 + i, 4 + i), { kvCache: cache }))]);
      expectClose(cat(chunks, 1), c.logits, ...FWD, 'composed cached logits');
    });
  });

  it('a sequence longer than nPositions is a ContextLengthError, with or without a cache', () => {
    tidy(() => {
      const c = cases[0];
      const model = load(c);
      const n = c.config.nPositions;
      const tooLong = tensor(new Int32Array(n + 1), { dtype: 'int32' });
      expect(() => model.forward(tooLong)).toThrow(ContextLengthError);
      expect(() => model.forward(tooLong)).toThrow(/exceed nPositions 8/);
      using cache = new KVCache(c.config.nLayer);
      noGrad(() => model.forward(tensor(new Int32Array(n - 1), { dtype: 'int32' }), { kvCache: cache }));
      expect(() => noGrad(() => model.forward(tensor(new Int32Array(2), { dtype: 'int32' }), { kvCache: cache }))).toThrow(ContextLengthError);
      expect(() => model.forward(tensor(new Int32Array([1, c.config.vocabSize]), { dtype: 'int32' }))).toThrow(IndexError);
    });
  });

  it('tying shares one tensor: listed once by parameters(), twice by stateDict()', () => {
    tidy(() => {
      const model = new GPT({ vocabSize: 7, nPositions: 4, nEmbd: 4, nHead: 2, nLayer: 1 }).tieLMHeadToEmbedding();
      const sd = model.stateDict();
      expect(sd['lm_head.weight']).toBe(sd['wte.weight']);
      expect(model.parameters().filter((p) => p === sd['wte.weight']).length).toBe(1);
      expect(model.isTied).toBe(true);
    });
  });
});
