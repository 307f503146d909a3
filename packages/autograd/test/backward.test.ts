// Semantics of backward(), noGrad, detach and gradient accumulation (PyTorch's torch.autograd rules).
// Expected numbers are closed-form derivatives: d(x²+x)/dx = 2x+1, d(eˣ)/dx = eˣ, d(a·b)/da = b.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as g from '@gorch/tensor';
import { testBackends } from './backends';
import { backward, detach, enableGrad, isGradEnabled, noGrad, registeredGradients } from '../src/index';

const leaf = (data: number[], shape = [data.length]) => {
  const t = g.tensor(data, { shape });
  t.requiresGrad = true;
  return t;
};
const values = (t: g.Tensor | null) => Array.from(t!.dataSync());
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as g.GorchError).code;
  }
  return undefined;
};

describe.each(testBackends())('backward on backend %s', (backend) => {
  beforeAll(() => g.setBackend(backend));
  afterAll(() => g.setBackend('js'));

  it('Tensor.backward() delegates to autograd: d(x·x + x)/dx = 2x + 1', () => {
    const x = leaf([1, -2, 0.5]);
    const y = g.add(g.mul(x, x), x);
    y.backward(g.ones([3]));
    expect(values(x.grad)).toEqual([3, -3, 2]);
  });

  it('one-element output uses an implicit gradient of 1', () => {
    const x = leaf([2], []);
    g.exp(x).backward();
    expect(x.grad!.item()).toBeCloseTo(Math.exp(2), 5);
  });

  it('an explicit output gradient weights the result', () => {
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    backward(g.mul(a, b), g.tensor([10, 100]));
    expect(values(a.grad)).toEqual([30, 400]);
    expect(values(b.grad)).toEqual([10, 200]);
  });

  it('gradients accumulate across backward calls', () => {
    const a = leaf([1, 2]);
    const b = g.tensor([3, 4]);
    backward(g.mul(a, b), g.ones([2]));
    const first = a.grad;
    backward(g.mul(a, b), g.ones([2]));
    expect(a.grad).toBe(first); // accumulated in place, like PyTorch's grad += g
    expect(values(a.grad)).toEqual([6, 8]);
    expect(b.grad).toBeNull();
  });

  it('non-leaf tensors get no .grad; leaves shared by two paths get the sum', () => {
    const x = leaf([1, 2]);
    const h = g.mul(x, 3);
    const y = g.add(h, x);
    backward(y, g.ones([2]));
    expect(values(x.grad)).toEqual([4, 4]);
    expect(h.grad).toBeNull();
    expect(h.requiresGrad).toBe(true);
  });

  it('x + y with both leaves: each .grad is its own handle', () => {
    const x = leaf([1, 2]);
    const y = leaf([3, 4]);
    backward(g.add(x, y), g.tensor([5, 6]));
    expect(x.grad).not.toBe(y.grad);
    x.grad!.dispose();
    expect(values(y.grad)).toEqual([5, 6]);
  });

  it('the caller’s gradient tensor is neither disposed nor stored', () => {
    const x = leaf([1, 2]);
    const dy = g.tensor([7, 8]);
    backward(g.mul(x, 1), dy);
    backward(x, dy);
    expect(dy.isDisposed).toBe(false);
    expect(x.grad).not.toBe(dy);
    expect(values(x.grad)).toEqual([14, 16]);
  });

  it('a non-scalar output without gradient is an error', () => {
    const x = leaf([1, 2]);
    expect(codeOf(() => g.mul(x, 2).backward())).toBe('E_GRAD_SHAPE');
    expect(codeOf(() => backward(g.mul(x, 2), g.ones([3])))).toBe('E_GRAD_SHAPE');
  });

  it('nothing requiring grad is an error', () => {
    const x = g.tensor([1, 2]);
    expect(codeOf(() => backward(g.mul(x, 2), g.ones([2])))).toBe('E_NO_GRAD');
  });

  it('noGrad records nothing; enableGrad re-enables inside it', () => {
    const x = leaf([1, 2]);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const inner = enableGrad(() => g.mul(x, 2));
      expect(inner.requiresGrad).toBe(true);
      return g.mul(x, 2);
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradNode).toBeNull();
    expect(codeOf(() => backward(y, g.ones([2])))).toBe('E_NO_GRAD');
  });

  it('async noGrad keeps recording off until the promise settles', async () => {
    const x = leaf([1]);
    const y = await noGrad(async () => {
      await Promise.resolve();
      return g.mul(x, 2);
    });
    expect(y.requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
  });

  it('detach shares values but stops the gradient', () => {
    const x = leaf([1, 2]);
    const h = g.mul(x, x);
    const d = detach(h);
    expect(values(d)).toEqual([1, 4]);
    expect(d.requiresGrad).toBe(false);
    backward(g.add(g.mul(d, x), h), g.ones([2]));
    // d(d·x + x²)/dx with d constant = d + 2x
    expect(values(x.grad)).toEqual([1 + 2, 4 + 4]);
    d.dispose();
    expect(h.isDisposed).toBe(false);
  });

  it('int32 outputs (comparison masks) are not differentiable', () => {
    const x = leaf([1, -2]);
    const m = g.gt(x, 0);
    expect(m.requiresGrad).toBe(false);
    expect(m.gradNode).toBeNull();
  });

  it('a disposed tensor the gradient needs gives a clear error', () => {
    const x = leaf([1, 2]);
    const h = g.exp(x);
    const y = g.mul(h, h);
    h.dispose();
    expect(codeOf(() => backward(y, g.ones([2])))).toBe('E_DISPOSED');
  });

  it('backward frees its temporaries and keeps .grad alive through tidy', () => {
    const x = leaf([0.5, -1, 2, 3], [2, 2]);
    const w = leaf([1, 2], [2]);
    const step = () =>
      g.tidy(() => {
        const y = g.mul(g.tanh(g.add(g.mul(x, w), x)), w);
        backward(y, g.ones([2, 2]));
      });
    step();
    const before = g.numTensors();
    const storage = g.getBackend().numDataIds();
    for (let i = 0; i < 5; i++) step();
    expect(g.numTensors()).toBe(before);
    expect(g.getBackend().numDataIds()).toBe(storage);
    expect(x.grad!.isDisposed).toBe(false);
    expect(w.grad!.isDisposed).toBe(false);
  });

  it('a leaf requiring grad gets dy itself when it is the output', () => {
    const x = leaf([1, 2]);
    backward(x, g.tensor([3, 4]));
    expect(values(x.grad)).toEqual([3, 4]);
  });
});

describe('gradient registry', () => {
  it('has a gradient for every differentiable kernel of @gorch/tensor', () => {
    const nonDifferentiable = new Set(['Equal', 'Greater', 'Less', 'GreaterEqual', 'LessEqual', 'ArgMax', 'Cast']);
    const kernels = Object.values(g.KernelName).filter((k) => !nonDifferentiable.has(k));
    expect(kernels.filter((k) => !registeredGradients().includes(k))).toEqual([]);
  });
});

describe('shapes beyond the golden cases', () => {
  it('linear with a 1-D input: dx = dy·W, dW = dy ⊗ x, db = dy', () => {
    const x = leaf([1, 2]);
    const w = leaf([1, 0, 0, 1, 1, 1], [3, 2]);
    const b = leaf([0, 0, 0]);
    backward(g.linear(x, w, b), g.tensor([1, 2, 3]));
    expect(values(x.grad)).toEqual([1 + 3, 2 + 3]);
    expect(values(w.grad)).toEqual([1, 2, 2, 4, 3, 6]);
    expect(values(b.grad)).toEqual([1, 2, 3]);
  });
});
