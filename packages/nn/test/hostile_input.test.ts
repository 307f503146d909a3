// Regression tests for hostile-input findings. Golden logits: tools/fixtures/nn_modules.py (python3-torch)
// → test/golden/modules.json ("gpt").
import { noGrad } from '@gorch/autograd';
import { ShapeError, numTensors, tensor, tidy, zeros } from '@gorch/tensor';
import { describe, expect, it } from 'vitest';
import { ArgumentError, GPT, KVCache, Linear, ReLU, Sequential, StateDictError, type GPTConfig } from '../src/index';
import golden from './golden/modules.json';
import { FWD, expectClose, fromJson, stateDictFromJson, type JsonTensor } from './helpers';

const c = (golden.gpt as unknown as { config: GPTConfig; tied: boolean; params: Record<string, JsonTensor>; ids: JsonTensor; logits: JsonTensor }[])[0];

function load(): GPT {
  const model = new GPT(c.config, { init: 'none' });
  if (c.tied) model.tieLMHeadToEmbedding();
  model.loadStateDict(stateDictFromJson(c.params), { strict: false });
  return model;
}

describe('GPT.forward ids argument', () => {
  it('takes number[][] ids like an int32 tensor (PyTorch logits), freeing the temporary ids tensor', () => {
    tidy(() => {
      const model = load();
      const ids = fromJson(c.ids);
      const plain = ids.toArray() as number[][];
      const n0 = numTensors();
      const logits = noGrad(() => model.forward(plain));
      const n1 = numTensors();
      expectClose(logits, c.logits, ...FWD, 'logits from number[][]');
      noGrad(() => model.forward(ids));
      // The same number of live tensors as a forward on a tensor: the temporary ids tensor was freed.
      expect(numTensors() - n1).toBe(n1 - n0);
      const first = noGrad(() => model.forward(plain[0]));
      expect(first.shape).toEqual([plain[0].length, c.config.vocabSize]);
    });
  });
  it('rejects non-integer ids and non-arrays with an ArgumentError naming ids', () => {
    const model = load();
    expect(() => model.forward([1, 2.5])).toThrow(ArgumentError);
    expect(() => model.forward([1, 2.5])).toThrow(/ids must be integers, got 2.5 at flat position 1/);
    expect(() => model.forward(5 as never)).toThrow(/GPT.forward: ids must be a Tensor or an array of token ids, got number/);
  });
});

describe('Sequential and loadStateDict argument checks', () => {
  it('Sequential rejects a non-Module, naming its position', () => {
    expect(() => new Sequential(new ReLU(), 5 as never)).toThrow(ArgumentError);
    expect(() => new Sequential(new ReLU(), 5 as never)).toThrow(/Sequential: layer 1 must be a Module, got number/);
  });
  it('loadStateDict names keys whose values are not Tensors, and rejects non-objects', () => {
    const l = new Linear(2, 3);
    expect(() => l.loadStateDict({ weight: [[1, 2]], bias: zeros([3]) } as never)).toThrow(StateDictError);
    expect(() => l.loadStateDict({ weight: [[1, 2]], bias: zeros([3]) } as never)).toThrow(/values must be Tensors: 'weight' is an array/);
    expect(() => l.loadStateDict(null as never)).toThrow(/stateDict must be an object or a Map/);
  });
  it('loadStateDict accepts a Map (what onnxToStateDict returns) with the same checks', () => {
    const l = new Linear(2, 3);
    const w = tensor([[1, 2], [3, 4], [5, 6]]);
    l.loadStateDict(new Map([['weight', w], ['bias', tensor([7, 8, 9])]]));
    expect(l.weight.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(() => l.loadStateDict(new Map([['weight', zeros([3, 3])], ['bias', zeros([3])]]))).toThrow(/'weight': shape \[3, 3\]/);
    expect(() => l.loadStateDict(new Map([['weight', w]]))).toThrow(/missing keys: bias/);
  });
  it('a Linear too large for one tensor is a ShapeError from the tensor package', () => {
    expect(() => new Linear(1e9, 1e9)).toThrow(ShapeError);
    expect(() => new Linear(1e9, 1e9)).toThrow(/nn.init.uniform: shape \[1000000000,1000000000\]/);
  });
});

describe('KVCache batch mismatch', () => {
  it('names the layer and both batch sizes instead of a bare cat ShapeError', () => {
    using cache = new KVCache(1);
    cache.append(0, zeros([2, 1, 3, 4]), zeros([2, 1, 3, 4]));
    expect(() => cache.append(0, zeros([3, 1, 1, 4]), zeros([3, 1, 1, 4]))).toThrow(ShapeError);
    expect(() => cache.append(0, zeros([3, 1, 1, 4]), zeros([3, 1, 1, 4]))).toThrow(/KVCache: layer 0 holds batch size 2, the new keys have batch size 3/);
    expect(() => cache.append(0, zeros([2, 2, 1, 4]), zeros([2, 2, 1, 4]))).toThrow(/KVCache: layer 0 holds keys \[2, 1, 3, 4\]/);
    expect(cache.length).toBe(3);
  });
  it('through GPT.forward: a cache filled with batch 2 then used with batch 3', () => {
    const model = load();
    using cache = new KVCache(c.config.nLayer);
    noGrad(() => {
      model.forward(zeros([2, 2], 'int32'), { kvCache: cache }).dispose();
      expect(() => model.forward(zeros([3, 1], 'int32'), { kvCache: cache })).toThrow(/KVCache: layer 0 holds batch size 2, the new keys have batch size 3/);
    });
  });
});
