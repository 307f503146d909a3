// Conv2D, MaxPool2D and ScaledDotProductAttention: the C kernels (src/c/conv.c, attention.c) through
// the 'wasm' backend against @gorch/tensor's JS kernels (themselves checked against PyTorch goldens in
// packages/tensor/test), at random odd sizes. While the wasm side runs, the 'js' kernel is unregistered,
// so a wasm kernel that declined the call would throw E_NO_KERNEL instead of silently falling back.
import * as T from '@gorch/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../src/index';
import { maxRelErr, randn, rng } from './reference';

beforeAll(async () => {
  await initWasmBackend();
});
afterAll(() => T.setBackend('js'));

type Input = { values: Float32Array; shape: number[] };

/** Output of `fn` on 'js', and on 'wasm' with the JS kernel `kernel` removed (unless `allowFallback`). */
function jsAndC(kernel: string, inputs: Input[], fn: (...xs: T.Tensor[]) => T.Tensor, allowFallback = false): [Float32Array, Float32Array, number[], number[]] {
  const run = (be: string): [Float32Array, number[]] => {
    T.setBackend(be);
    let out: [Float32Array, number[]] = [new Float32Array(0), []];
    T.tidy(() => {
      const y = fn(...inputs.map((i) => T.tensor(i.values.slice(), { shape: i.shape })));
      expect(y.backend.name).toBe(be);
      out = [y.dataSync() as Float32Array, [...y.shape]];
    });
    return out;
  };
  const [js, jsShape] = run('js');
  const jsKernel = T.getKernel(kernel, 'js')!;
  if (!allowFallback) T.unregisterKernel(kernel, 'js');
  try {
    const [c, cShape] = run('wasm');
    return [js, c, jsShape, cShape];
  } finally {
    T.registerKernel(jsKernel);
    T.setBackend('wasm');
  }
}

const r = rng(2024);
const pick = <V>(xs: readonly V[]): V => xs[Math.floor(r() * xs.length)];
const input = (...shape: number[]): Input => ({ values: randn(shape.reduce((p, q) => p * q, 1), r), shape });

describe('C conv2d / maxPool2d vs the JS kernels', () => {
  it('conv2d at random odd sizes with stride, padding, dilation, groups, with and without bias', () => {
    for (let trial = 0; trial < 40; trial++) {
      const groups = pick([1, 1, 2, 3]);
      const C = groups * pick([1, 2, 3]), O = groups * pick([1, 2, 5]);
      const kh = pick([1, 2, 3, 5]), kw = pick([1, 3, 4]);
      const stride: [number, number] = [pick([1, 2, 3]), pick([1, 2])];
      const padding: [number, number] = [pick([0, 1, 2]), pick([0, 1])];
      const dilation: [number, number] = [pick([1, 2]), pick([1, 3])];
      const H = dilation[0] * (kh - 1) + 1 + pick([0, 1, 4, 10]), W = dilation[1] * (kw - 1) + 1 + pick([0, 2, 7, 16]);
      const N = pick([1, 2, 3]);
      const withBias = r() < 0.5;
      const ins = [input(N, C, H, W), input(O, C / groups, kh, kw), ...(withBias ? [input(O)] : [])];
      const [js, c, sj, sc] = jsAndC(T.KernelName.Conv2D, ins, (x, w, b) => T.conv2d(x, w, b ?? null, { stride, padding, dilation, groups }));
      const what = JSON.stringify({ N, C, H, W, O, kh, kw, stride, padding, dilation, groups, withBias });
      expect(sc, what).toEqual(sj);
      expect(maxRelErr(c, js, 1e-4).err, what).toBeLessThan(1e-4);
    }
  });

  it('maxPool2d at random odd sizes, NaN propagating and padding never winning', () => {
    for (let trial = 0; trial < 40; trial++) {
      const kh = pick([1, 2, 3]), kw = pick([2, 3, 5]);
      const stride: [number, number] = [pick([1, 2, 3]), pick([1, 2])];
      const padding: [number, number] = [pick([0, Math.floor(kh / 2)]), pick([0, Math.floor(kw / 2)])];
      const dilation: [number, number] = [pick([1, 2]), pick([1, 2])];
      const H = dilation[0] * (kh - 1) + 1 + pick([0, 3, 8]), W = dilation[1] * (kw - 1) + 1 + pick([0, 1, 6, 13]);
      const x = input(pick([1, 2]), pick([1, 3, 4]), H, W);
      // all-negative inputs: a -Infinity or 0 leaking in from the padding would show
      x.values.forEach((v, i) => (x.values[i] = -1 - Math.abs(v)));
      if (trial % 4 === 0) x.values[Math.floor(r() * x.values.length)] = NaN;
      const [js, c, sj, sc] = jsAndC(T.KernelName.MaxPool2D, [x], (t) => T.maxPool2d(t, [kh, kw], { stride, padding, dilation }));
      const what = JSON.stringify({ shape: x.shape, kh, kw, stride, padding, dilation });
      expect(sc, what).toEqual(sj);
      expect(Array.from(c), what).toEqual(Array.from(js)); // a max is exact
    }
  });
});

describe('C attention vs the JS kernel', () => {
  it.each([1, 7, 129])('cache length %i: decode steps and multi-row chunks, causal and local windows', (Tk) => {
    for (const Tq of [1, 2, 5].filter((t) => t <= Tk)) {
      for (const window of [null, 1, 4, 256]) {
        for (const causal of [true, false]) {
          const lead = pick([[1, 12], [2, 3], [5]]);
          const D = pick([1, 5, 16, 64]);
          const scale = pick([1, 1 / Math.sqrt(D), 0.37]);
          const ins = [input(...lead, Tq, D), input(...lead, Tk, D), input(...lead, Tk, D)];
          const [js, c, sj, sc] = jsAndC(T.KernelName.ScaledDotProductAttention, ins, (q, k, v) => T.scaledDotProductAttention(q, k, v, { causal, scale, window }));
          const what = JSON.stringify({ lead, Tq, Tk, D, window, causal, scale });
          expect(sc, what).toEqual(sj);
          // The C kernel keeps logits in float32 (JS: doubles); with scale 1 and D = 64 they reach ~10,
          // and exp turns their rounding into ~6e-5 relative error vs float64 (JS: ~2e-5), so
          // |diff| ≤ 3e-4·|js| + 3e-7.
          expect(maxRelErr(c, js, 1e-3).err, what).toBeLessThan(3e-4);
        }
      }
    }
  });

  it('Dv ≠ D is declined by the C kernel and runs the JS kernel on wasm storage', () => {
    const ins = [input(2, 3, 4), input(2, 9, 4), input(2, 9, 6)];
    const [js, c] = jsAndC(T.KernelName.ScaledDotProductAttention, ins, (q, k, v) => T.scaledDotProductAttention(q, k, v, { causal: true, window: 3 }), true);
    expect(maxRelErr(c, js, 1e-6).err).toBeLessThan(1e-6);
  });
});
