// A whole GPT exported to ONNX runs in onnxruntime-node and matches gorch's logits within 1e-5 on
// the weights of tiny-random-gpt2 (read from past.onnx); gorch's GPT built from those weights gives
// the greedy sequences onnxruntime-genai publishes for that model (fixtures README).
import { noGrad } from '@gorch/autograd';
import { GPT } from '@gorch/nn';
import { Generator, tensor } from '@gorch/tensor';
import { describe, expect, it } from 'vitest';
import { gptToONNXBytes, onnxToStateDict, parseONNX } from '../src/index';
import { tinyGPT2FromONNX } from './gpt_fixture';
import { expectClose, ortInt64, runOrt } from './ort';
import { HAS_FIXTURES } from './paths';

function argmaxLast(logits: Float32Array, t: number, v: number): number {
  let best = 0;
  for (let j = 1; j < v; j++) if (logits[(t - 1) * v + j] > logits[(t - 1) * v + best]) best = j;
  return best;
}

describe.skipIf(!HAS_FIXTURES)('GPT export on tiny-random-gpt2', () => {
  const model = tinyGPT2FromONNX();
  const bytes = gptToONNXBytes(model);
  const V = 1000;

  it('declares int64 input_ids [batch, sequence] -> logits [batch, sequence, 1000]', () => {
    const file = parseONNX(bytes);
    expect(file.inputs).toEqual([{ name: 'input_ids', dtype: 'int64', shape: ['batch', 'sequence'] }]);
    expect(file.outputs).toEqual([{ name: 'logits', dtype: 'float32', shape: ['batch', 'sequence', V] }]);
  });

  it.each([
    [[[0, 0, 0, 52], [0, 0, 195, 731]]],
    [[[5, 999, 17, 3, 3, 42, 511]]],
    [[[7]]],
  ])('onnxruntime logits match gorch for ids %j', async (ids) => {
    const [B, T] = [ids.length, ids[0].length];
    const want = noGrad(() => model.forward(tensor(ids.flat(), { shape: [B, T], dtype: 'int32' }))).dataSync();
    const got = (await runOrt(bytes, { input_ids: ortInt64(ids.flat(), [B, T]) })).logits;
    expect([...got.dims]).toEqual([B, T, V]);
    expectClose(got.data as Float32Array, want);
  });

  it.each([
    [[0, 0, 0, 52], [0, 0, 0, 52, 204, 204, 204, 204, 204, 204]],
    [[0, 0, 195, 731], [0, 0, 195, 731, 731, 114, 114, 114, 114, 114]],
  ])('greedy from %j gives the published sequence, in gorch and in onnxruntime', async (prompt, published) => {
    const ours = [...prompt];
    const theirs = [...prompt];
    while (ours.length < 10) {
      const logits = noGrad(() => model.forward(tensor(ours, { shape: [1, ours.length], dtype: 'int32' }))).dataSync() as Float32Array;
      ours.push(argmaxLast(logits, ours.length, V));
      const ortLogits = (await runOrt(bytes, { input_ids: ortInt64(theirs, [1, theirs.length]) })).logits.data as Float32Array;
      theirs.push(argmaxLast(ortLogits, theirs.length, V));
    }
    expect(ours).toEqual(published);
    expect(theirs).toEqual(published);
  });

  it('carries HF names that onnxToStateDict reads back unchanged', () => {
    const back = onnxToStateDict(parseONNX(bytes), { n_layer: 5, n_embd: 32, vocab_size: V, n_positions: 512 });
    expect(back.filled).toEqual([]);
    expect(back.tensors.get('transformer.h.3.attn.c_attn.weight')!.shape).toEqual([32, 96]);
  });
});

describe('GPT export variants', () => {
  it('GPT-Neo style (local layers, unscaled, no qkv bias, untied head, exact GELU) matches onnxruntime', async () => {
    const model = new GPT(
      { vocabSize: 50, nPositions: 16, nEmbd: 12, nHead: 3, nLayer: 2, attentionLayers: ['global', 'local'], windowSize: 3, scaleAttnWeights: false, qkvBias: false, activation: 'gelu' },
      { generator: new Generator(5) },
    ).eval();
    const bytes = gptToONNXBytes(model);
    const ids = [3, 14, 15, 9, 26, 5, 35, 8, 9, 7, 49, 0];
    const want = noGrad(() => model.forward(tensor(ids, { shape: [2, 6], dtype: 'int32' }))).dataSync();
    const got = (await runOrt(bytes, { input_ids: ortInt64(ids, [2, 6]) })).logits;
    expectClose(got.data as Float32Array, want);
  });
});
