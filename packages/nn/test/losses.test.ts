// Golden values: tools/fixtures/nn_modules.py (python3-torch) → test/golden/modules.json ("losses").
import '@gorch/autograd';
import { DtypeError, IndexError, ShapeError, getBackendName, registeredBackends, setBackend, tensor, tidy, zeros } from '@gorch/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crossEntropy, mseLoss } from '../src/index';
import golden from './golden/modules.json';
import { FWD, GRAD, expectClose, fromJson, type JsonTensor } from './helpers';

interface LossCase {
  name: string;
  options: { ignoreIndex?: number };
  input: JsonTensor;
  target: JsonTensor;
  loss: number;
  inputGrad: JsonTensor;
}

const initial = getBackendName();

describe.each(registeredBackends())('losses vs PyTorch on backend %s', (backend) => {
  beforeEach(() => setBackend(backend));
  afterEach(() => setBackend(initial));

  const cases = [
    ...(golden.losses.mseLoss as LossCase[]).map((c) => ['mseLoss', c] as const),
    ...(golden.losses.crossEntropy as LossCase[]).map((c) => ['crossEntropy', c] as const),
  ];
  it.each(cases.map(([fn, c]) => [`${fn} ${c.name}`, fn, c] as const))('%s', (_n, fn, c) => {
    tidy(() => {
      const x = fromJson(c.input);
      x.requiresGrad = true;
      const t = fromJson(c.target);
      const loss = fn === 'mseLoss' ? mseLoss(x, t) : crossEntropy(x, t, c.options);
      expect(loss.shape).toEqual([]);
      expectClose(loss, { shape: [], dtype: 'float32', data: [c.loss] }, ...FWD, 'loss');
      loss.backward();
      expectClose(x.grad, c.inputGrad, ...GRAD, 'input grad');
    });
  });

  it('crossEntropy with every target ignored is 0 with zero gradients (documented choice; torch gives NaN)', () => {
    tidy(() => {
      const x = tensor([[1, 2, 3], [0.5, -1, 2]]);
      x.requiresGrad = true;
      const loss = crossEntropy(x, tensor(new Int32Array([-100, -100]), { dtype: 'int32' }));
      expect(loss.item()).toBe(0);
      loss.backward();
      expect([...x.grad!.dataSync()]).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });

  it('rejects bad targets and shapes with typed errors', () => {
    tidy(() => {
      const x = zeros([2, 3]);
      expect(() => crossEntropy(x, tensor(new Int32Array([0, 3])))).toThrow(IndexError);
      expect(() => crossEntropy(x, tensor(new Int32Array([0, -1])))).toThrow(/target -1 at flat position 1/);
      expect(() => crossEntropy(x, tensor([0, 1]))).toThrow(DtypeError);
      expect(() => crossEntropy(x, tensor(new Int32Array([0, 1, 2])))).toThrow(ShapeError);
      expect(() => mseLoss(x, zeros([3, 2]))).toThrow(ShapeError);
    });
  });
});
