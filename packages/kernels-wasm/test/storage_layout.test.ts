// Storage layouts must never show through: a tensor repacked to panels or transposed storage and then
// reshaped (reshape shares storage) must give, in every kernel, what the same values give in plain
// float32 rows and on the 'js' backend (the reference, itself checked against PyTorch goldens in
// packages/tensor/test). Regression for a hostile-input report: linear / matmul / indexSelect read a
// reshaped panel buffer with the new shape.
import * as T from '@gorch/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend, repack, storageLayout } from '../src/index';

beforeAll(async () => {
  await initWasmBackend();
  T.setBackend('wasm');
});
afterAll(() => T.setBackend('js'));

const ramp = (n: number, mod: number): number[] => Array.from({ length: n }, (_, i) => (i % mod) - (mod >> 1));

/** `fn` on the js backend with plain tensors (values exact in bfloat16, so every format agrees). */
function onJs(fn: (W: T.Tensor) => T.Tensor, values: number[], shape: number[]): number[] {
  T.setBackend('js');
  const W = T.tensor(values, { shape });
  const y = fn(W);
  const out = Array.from(y.dataSync());
  y.dispose(); W.dispose();
  T.setBackend('wasm');
  return out;
}

describe('reshaped repacked storage', () => {
  const values = ramp(16 * 8, 13); // small integers: exact in bfloat16 and float16, sums exact in float32
  for (const layout of ['panels', 'transposed'] as const) {
    for (const format of ['float32', 'bfloat16', 'float16'] as const) {
      it(`${layout} ${format}: linear, matmul and indexSelect through another shape equal js`, () => {
        const W = T.tensor(values, { shape: [16, 8] });
        const P = repack(W, { format, layout });
        expect(storageLayout(P)).toBe(layout);
        const cases: [string, (w: T.Tensor) => T.Tensor][] = [
          ['linear [1,16] x [8,16]^T', (w) => T.linear(T.tensor(ramp(16, 5), { shape: [1, 16] }), T.reshape(w, [8, 16]))],
          ['linear [9,16] x [8,16]^T', (w) => T.linear(T.tensor(ramp(9 * 16, 7), { shape: [9, 16] }), T.reshape(w, [8, 16]))],
          ['matmul [1,32] @ [32,4]', (w) => T.matmul(T.tensor(ramp(32, 5), { shape: [1, 32] }), T.reshape(w, [32, 4]))],
          ['matmul [128] . [128]', (w) => T.matmul(T.tensor(ramp(128, 9), { shape: [128] }), T.reshape(w, [128]))],
          ['indexSelect rows of [8,16]', (w) => T.indexSelect(T.reshape(w, [8, 16]), 0, T.tensor([3, 0, 7], { dtype: 'int32' }))],
          ['indexSelect rows of [4,4,8]', (w) => T.indexSelect(T.reshape(w, [4, 4, 8]), 0, T.tensor([1], { dtype: 'int32' }))],
          // the layout's own shape still reads in place
          ['linear [1,8] x [16,8]^T', (w) => T.linear(T.tensor(ramp(8, 5), { shape: [1, 8] }), w)],
          ['indexSelect rows of [16,8]', (w) => T.indexSelect(w, 0, T.tensor([15, 2], { dtype: 'int32' }))],
        ];
        for (const [name, fn] of cases) {
          const want = onJs(fn, values, [16, 8]);
          const y = fn(P);
          expect(Array.from(y.dataSync()), name).toEqual(want);
          y.dispose();
        }
        W.dispose(); P.dispose();
      });
    }
  }

  it('indexSelect on an empty row still checks its indices, as the js kernel does', () => {
    const E = T.tensor([], { shape: [1, 0] });
    expect(() => T.indexSelect(E, 0, T.tensor([5], { dtype: 'int32' }))).toThrow(T.IndexError);
    expect(T.indexSelect(E, 0, T.tensor([0], { dtype: 'int32' })).shape).toEqual([1, 0]);
    E.dispose();
  });
});

describe('bad arguments of repack and fromHalfBits', () => {
  it('are typed errors, and nothing is written outside the new block', async () => {
    const { fromHalfBits } = await import('../src/index');
    const m = T.tensor([[1, 2, 3], [4, 5, 6]]);
    for (const bad of [{ format: 'int8' }, { format: 'bf16' }, { transposed: 'yes' }, { layout: 'panels', transposed: true }]) {
      expect(() => repack(m, bad as never), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    }
    expect(() => repack(null as never)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => repack(m, null as never)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    // a neighbour tensor must survive a wrongly typed bits array (it used to be overwritten)
    const a = T.tensor(new Float32Array(16));
    const b = T.tensor(new Float32Array(16).fill(5));
    a.dispose();
    expect(() => fromHalfBits(new Float32Array(32).fill(-7) as never, [32], 'bfloat16')).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => fromHalfBits([1, 2] as never, [2], 'bfloat16')).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => fromHalfBits(new Uint16Array(4), [2, 2], 'int8' as never)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => fromHalfBits(new Uint16Array(4), [-2, -2], 'bfloat16')).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => fromHalfBits(new Uint16Array(3), [1.5, 2], 'bfloat16')).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(Array.from(b.dataSync())).toEqual(new Array(16).fill(5));
    b.dispose(); m.dispose();
  });

  it('linear with an empty inner dimension gives the bias, as the js kernel does', () => {
    for (let i = 0; i < 3; i++) T.tensor(Array.from({ length: 64 }, (_, j) => j + 0.5)).dispose(); // dirty the heap
    const y = T.linear(T.tensor([], { shape: [3, 0] }), T.tensor([], { shape: [4, 0] }), T.tensor([1, 2, 3, 4]));
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
    y.dispose();
  });
});
