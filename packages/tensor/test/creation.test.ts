import { describe, expect, it } from 'vitest';
import * as g from '@gorch/tensor';

describe('creation', () => {
  it('tensor infers shape from nesting; dtype float32 unless Int32Array', () => {
    const t = g.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(g.tensor(Int32Array.of(1, 2)).dtype).toBe('int32');
    expect(g.tensor(3.5).item()).toBe(3.5);
    expect(g.tensor([1, 2, 3, 4], { shape: [2, 2], dtype: 'int32' }).toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('bad data is a typed error naming the problem', () => {
    expect(() => g.tensor([[1, 2], [3]])).toThrow(g.ShapeError);
    expect(() => g.tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/3 values do not fit shape \[2,2\]/);
    expect(() => g.tensor(['a'] as never)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => g.zeros([2, -1])).toThrow(g.ShapeError);
    expect(() => g.tensor([1], { dtype: 'float64' as never })).toThrow(g.DtypeError);
    expect(() => g.ones([2, 2]).item()).toThrow(/item: tensor of shape \[2,2\] has 4 elements/);
  });

  it('zeros/ones/full/zerosLike/onesLike', () => {
    expect(g.zeros([2]).toArray()).toEqual([0, 0]);
    expect(g.ones([1, 2], 'int32').dtype).toBe('int32');
    expect(g.full([2], -Infinity).toArray()).toEqual([-Infinity, -Infinity]);
    const x = g.full([2, 1], 3, 'int32');
    expect(g.onesLike(x).toArray()).toEqual([[1], [1]]);
    expect(g.zerosLike(x).dtype).toBe('int32');
  });

  it('arange follows torch.arange', () => {
    expect(g.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(g.arange(5).dtype).toBe('int32');
    expect(g.arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(g.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(g.arange(3, 3).shape).toEqual([0]);
    expect(() => g.arange(0, 3, 0)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });

  it('dataSync returns a copy', () => {
    const t = g.tensor([1, 2]);
    t.dataSync()[0] = 99;
    expect(t.toArray()).toEqual([1, 2]);
  });
});

describe('random', () => {
  it('manualSeed makes rand/randn reproducible; different seeds differ', () => {
    g.manualSeed(123);
    const a = g.randn([64]).dataSync();
    g.manualSeed(123);
    expect(g.randn([64]).dataSync()).toEqual(a);
    g.manualSeed(124);
    expect(g.randn([64]).dataSync()).not.toEqual(a);
    const gen = new g.Generator(7);
    const r1 = g.rand([8], { generator: gen }).dataSync();
    expect(g.rand([8], { generator: new g.Generator(7) }).dataSync()).toEqual(r1);
  });

  it('rand is U[0,1) and randn is N(0,1) (moments within 5 standard errors)', () => {
    const n = 200_000;
    const u = g.rand([n], { generator: new g.Generator(1) }).dataSync();
    let s = 0, s2 = 0, lo = 1, hi = 0;
    for (const v of u) { s += v; s2 += v * v; lo = Math.min(lo, v); hi = Math.max(hi, v); }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    // mean 1/2 (se √(1/12/n)), variance 1/12
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
    const z = g.randn([n], { generator: new g.Generator(2) }).dataSync();
    let m = 0, m2 = 0, m4 = 0;
    for (const v of z) { m += v; m2 += v * v; m4 += v ** 4; }
    expect(Math.abs(m / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.1); // normal kurtosis is 3
  });

  it('rejects non-integer seeds', () => {
    expect(() => g.manualSeed(1.5)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
