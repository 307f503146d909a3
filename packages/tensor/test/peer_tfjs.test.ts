// Randomised comparison with a peer library: @tensorflow/tfjs-core on its CPU backend computes the
// reference for random shapes (fast-check), covering sizes and broadcast patterns the small PyTorch
// goldens do not (e.g. matmul block edges).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as g from '@gorch/tensor';
import { availableBackends } from './util';

function close(a: g.Tensor, b: tf.Tensor, tol = 1e-4): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i] - y[i]) <= tol * (1 + Math.abs(y[i])))) expect.fail(`[${i}] gorch ${x[i]} vs tfjs ${y[i]}`);
  }
}
const data = (shape: number[], seed: number): Float32Array => {
  const gen = new g.Generator(seed);
  return Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => gen.normal());
};
const pair = (shape: number[], seed: number): [g.Tensor, tf.Tensor] => {
  const v = data(shape, seed);
  return [g.tensor(v, { shape }), tf.tensor(v, shape)];
};
const dim = (max: number) => fc.integer({ min: 1, max });

describe.each(availableBackends())('random shapes vs tfjs-backend-cpu on backend %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    g.setBackend(backend);
  });
  afterAll(() => g.setBackend('js'));

  it('matmul with broadcast batch dims and sizes around the block edges', () => {
    fc.assert(
      fc.property(dim(3), dim(2), fc.integer({ min: 1, max: 9 }), fc.constantFrom(1, 3, 255, 257, 300), fc.constantFrom(1, 2, 5, 511, 513), fc.integer(), (b1, b2, M, K, N, seed) => {
        g.tidy(() => tf.tidy(() => {
          const [a, ta] = pair([b1, 1, M, K], seed);
          const [b, tb] = pair([b2, K, N], seed + 1);
          close(g.matmul(a, b), tf.matMul(tf.tile(ta, [1, b2, 1, 1]), tf.tile(tf.expandDims(tb, 0), [b1, 1, 1, 1])), 1e-4 * Math.sqrt(K));
        }));
      }),
      { numRuns: 25 },
    );
  });

  it('linear equals x·Wᵀ + b for random sizes', () => {
    fc.assert(
      fc.property(dim(9), dim(40), dim(11), fc.integer(), (M, K, N, seed) => {
        g.tidy(() => tf.tidy(() => {
          const [x, tx] = pair([M, K], seed);
          const [w, tw] = pair([N, K], seed + 1);
          const [b, tb] = pair([N], seed + 2);
          close(g.linear(x, w, b), tf.add(tf.matMul(tx, tw, false, true), tb));
        }));
      }),
      { numRuns: 40 },
    );
  });

  it('broadcasting binary ops over random compatible shapes', () => {
    const shapes = fc.array(fc.tuple(dim(4), fc.constantFrom('both', 'a1', 'b1', 'bmissing')), { minLength: 0, maxLength: 4 });
    fc.assert(
      fc.property(shapes, fc.integer(), fc.constantFrom('add', 'sub', 'mul', 'maximum'), (spec, seed, op) => {
        const sa = spec.map(([d, k]) => (k === 'a1' ? 1 : d));
        const sb = spec.filter(([, k], i) => !(k === 'bmissing' && spec.slice(0, i + 1).every(([, kk]) => kk === 'bmissing'))).map(([d, k]) => (k === 'b1' ? 1 : d));
        g.tidy(() => tf.tidy(() => {
          const [a, ta] = pair(sa, seed);
          const [b, tb] = pair(sb, seed + 7);
          const ours = (g as unknown as Record<string, (x: g.Tensor, y: g.Tensor) => g.Tensor>)[op](a, b);
          const theirs = (tf as unknown as Record<string, (x: tf.Tensor, y: tf.Tensor) => tf.Tensor>)[op](ta, tb);
          close(ours, theirs, 1e-6);
        }));
      }),
      { numRuns: 60 },
    );
  });

  it('reductions, permute and softmax over random axes', () => {
    fc.assert(
      fc.property(fc.array(dim(5), { minLength: 1, maxLength: 4 }), fc.integer(), fc.nat(), fc.boolean(), (shape, seed, axisSeed, keepdim) => {
        const axis = axisSeed % shape.length;
        const perm = shape.map((_, i) => i).sort((p, q) => ((p * 7 + seed) % 5) - ((q * 7 + seed) % 5) || p - q);
        g.tidy(() => tf.tidy(() => {
          const [x, tx] = pair(shape, seed);
          close(g.sum(x, axis, keepdim), tf.sum(tx, axis, keepdim), 1e-5);
          close(g.max(x, axis, keepdim), tf.max(tx, axis, keepdim), 1e-6);
          close(g.mean(x, axis, keepdim), tf.mean(tx, axis, keepdim), 1e-5);
          close(g.argmax(x, axis), tf.argMax(tx, axis), 0);
          close(g.permute(x, perm), tf.transpose(tx, perm), 0);
          close(g.softmax(x, -1), tf.softmax(tx, -1), 1e-5);
        }));
      }),
      { numRuns: 60 },
    );
  });
});
