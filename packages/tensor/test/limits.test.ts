import { describe, expect, it } from 'vitest';
import * as g from '@gorch/tensor';

// Regression tests for hostile-input findings: sizes past the typed-array limit, BigInt64Array input,
// very deep nesting, silent int32 wraps and float masks. The int32 rules follow torch 1.13
// (torch.tensor([2**40], dtype=torch.int32) raises "value cannot be converted to type int32 without
// overflow"; NaN and inf raise the same; 1.7 / -1.7 truncate to 1 / -1).

const shapeErr = (re: RegExp) => (fn: () => unknown) => {
  expect(fn).toThrow(g.ShapeError);
  expect(fn).toThrow(re);
};

describe('element counts above 2^31-1 are a ShapeError naming the op and shape', () => {
  it('creation ops', () => {
    expect(g.MAX_ELEMENTS).toBe(2 ** 31 - 1);
    shapeErr(/zeros: shape \[1000000000,1000000000\] has 1000000000000000000 elements/)(() => g.zeros([1e9, 1e9]));
    shapeErr(/randn: shape \[1000000,1000000\]/)(() => g.randn([1e6, 1e6]));
    shapeErr(/rand: shape/)(() => g.rand([1e6, 1e6]));
    shapeErr(/full: shape \[100000,100000\]/)(() => g.full([1e5, 1e5], 1));
    shapeErr(/zeros: shape \[2147483648\]/)(() => g.zeros([2 ** 31]));
    shapeErr(/ones: shape \[3000000000\]/)(() => g.ones([3e9], 'int32'));
    shapeErr(/arange: shape \[1000000000000\]/)(() => g.arange(0, 1e12));
    shapeErr(/arange: shape \[1000000000000\]/)(() => g.arange(0, 1, 1e-12));
    shapeErr(/tensor: shape \[1000000000,1000000000\]/)(() => g.tensor([1], { shape: [1e9, 1e9] }));
  });
  it('output shapes of broadcasting, expand and matmul', () => {
    shapeErr(/Add: shape \[100000,100000\]/)(() => g.add(g.zeros([100000, 1]), g.zeros([1, 100000])));
    shapeErr(/broadcastTo: shape \[10000000000\]/)(() => g.expand(g.zeros([1]), [1e10]));
    shapeErr(/matmul \[100000,1\] @ \[1,100000\]: shape \[100000,100000\]/)(() => g.matmul(g.zeros([100000, 1]), g.zeros([1, 100000])));
    shapeErr(/linear/)(() => g.linear(g.zeros([100000, 1]), g.zeros([100000, 1])));
    // A zero-size dim keeps the count at 0 however large the others are.
    expect(g.zeros([0, 1e300]).shape).toEqual([0, 1e300]);
    expect(g.checkNumel([2 ** 31 - 1], 'x')).toBe(2 ** 31 - 1);
  });
  it('the engine turns a kernel\'s raw RangeError into a ShapeError naming the kernel', () => {
    g.registerKernel({ kernelName: 'TestHugeAlloc', backendName: 'js', kernelFunc: () => ({ values: new Float32Array(2 ** 40), shape: [2 ** 40], dtype: 'float32' }) });
    shapeErr(/TestHugeAlloc: output too large for inputs \[2\]/)(() => g.engine.runKernel('TestHugeAlloc', [g.zeros([2])]));
  });
});

describe('tensor() input validation', () => {
  it('BigInt64Array / BigUint64Array become int32 when every value fits, else DtypeError', () => {
    const t = g.tensor(new BigInt64Array([1n, -2n, 2147483647n, -2147483648n]));
    expect(t.dtype).toBe('int32');
    expect(Array.from(t.dataSync())).toEqual([1, -2, 2147483647, -2147483648]);
    expect(g.tensor(new BigUint64Array([7n]), { dtype: 'float32' }).toArray()).toEqual([7]);
    expect(() => g.tensor(new BigInt64Array([1n, 2n ** 40n]))).toThrow(g.DtypeError);
    expect(() => g.tensor(new BigInt64Array([1n, 2n ** 40n]))).toThrow(/value 1099511627776 at flat index 1/);
  });
  it('nesting deeper than 64 levels is a ShapeError, not a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => g.tensor(deep as number[])).toThrow(g.ShapeError);
    expect(() => g.tensor(deep as number[])).toThrow(/more than 64 levels deep/);
    let ok: unknown = 1;
    for (let i = 0; i < 64; i++) ok = [ok];
    expect(g.tensor(ok as number[]).ndim).toBe(64);
  });
  it('int32 overflow and NaN raise like torch; non-integers truncate like torch', () => {
    for (const v of [2 ** 40, NaN, Infinity, 2 ** 31]) {
      expect(() => g.tensor([v], { dtype: 'int32' })).toThrow(g.DtypeError);
      expect(() => g.tensor(v, { dtype: 'int32' })).toThrow(g.DtypeError);
      expect(() => g.tensor(new Float64Array([0, v]), { dtype: 'int32' })).toThrow(/at flat index 1/);
    }
    expect(() => g.tensor([[1, 2], [3, 2 ** 40]], { dtype: 'int32' })).toThrow(/value 1099511627776 at flat index 3/);
    expect(() => g.full([2], NaN, 'int32')).toThrow(g.DtypeError);
    expect(() => g.arange(2 ** 31 - 1, 2 ** 31 + 1)).toThrow(g.DtypeError);
    expect(g.tensor([1.7, -1.7, -(2 ** 31)], { dtype: 'int32' }).toArray()).toEqual([1, -1, -(2 ** 31)]);
  });
  it('int32 arithmetic wraps like torch int32 (documented, not an error)', () => {
    // torch.tensor([2**30], dtype=torch.int32) * 4 -> tensor([0], dtype=torch.int32)
    expect(g.mul(g.tensor([2 ** 30], { dtype: 'int32' }), 4).toArray()).toEqual([0]);
  });
});

describe('maskedFill requires an int32 mask', () => {
  it('a float32 mask is a DtypeError (0.5 would otherwise count as true)', () => {
    expect(() => g.maskedFill(g.zeros([3]), g.tensor([0.5, 0, 1]), 1)).toThrow(g.DtypeError);
    expect(() => g.maskedFill(g.zeros([3]), g.tensor([0.5, 0, 1]), 1)).toThrow(/mask must be int32/);
    expect(g.maskedFill(g.zeros([3]), g.tensor([0, 0, 1], { dtype: 'int32' }), 1).toArray()).toEqual([0, 0, 1]);
  });
});
