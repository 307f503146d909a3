import { describe, expect, it } from 'vitest';
import * as g from '@gorch/tensor';

const code = (c: string) => expect.objectContaining({ code: c });

describe('typed errors name the op, the shapes and the index', () => {
  const x = g.zeros([3, 4]);
  it('out-of-range indices throw IndexError instead of reading undefined', () => {
    expect(() => g.indexSelect(x, 0, [0, 3])).toThrow(g.IndexError);
    expect(() => g.indexSelect(x, 0, [0, 3])).toThrow(/indexSelect: index 3 at position 1 is out of range for dim 0 of size 3 \(input \[3,4\]\)/);
    expect(() => g.indexSelect(x, 1, [-1])).toThrow(g.IndexError);
    expect(() => g.embedding(g.tensor([[1, 5]], { dtype: 'int32' }), x)).toThrow(/index 5 .* size 3/);
    expect(() => g.gather(x, 1, g.tensor([[4]], { dtype: 'int32' }))).toThrow(/gather: index 4/);
    expect(() => g.scatterAdd(x, 0, g.tensor([[3]], { dtype: 'int32' }), g.ones([1, 1]))).toThrow(g.IndexError);
    expect(() => g.slice(x, 1, 0, 5)).toThrow(/slice: range 0:5 is out of bounds for dim 1 of size 4 \(shape \[3,4\]\)/);
    expect(() => g.slice(x, 1, 3, 1)).toThrow(g.IndexError);
    expect(() => g.slice(x, 2, 0, 1)).toThrow(/slice: axis 2 is out of range for a tensor of rank 2/);
    expect(() => x.sum(5)).toThrow(g.IndexError);
    expect(() => x.permute(0, 0)).toThrow(g.IndexError);
  });
  it('shape mismatches throw ShapeError with both shapes', () => {
    expect(() => g.add(x, g.zeros([3]))).toThrow(/Add: shapes \[3,4\] and \[3\] are not broadcastable/);
    expect(() => g.matmul(x, g.zeros([3, 2]))).toThrow(/matmul: inner dims differ: \[3,4\] @ \[3,2\]/);
    expect(() => g.matmul(g.zeros([2, 3, 4]), g.zeros([3, 4, 2]))).toThrow(g.ShapeError);
    expect(() => g.linear(x, g.zeros([5, 3]))).toThrow(/linear: x \[3,4\] last dim must equal weight \[5,3\]/);
    expect(() => g.linear(x, g.zeros([5, 4]), g.zeros([4]))).toThrow(/bias \[4\] must be \[5\]/);
    expect(() => x.reshape(5, -1)).toThrow(/reshape: cannot reshape \[3,4\] \(12 elements\) to \[5,-1\]/);
    expect(() => g.cat([x, g.zeros([2, 3])], 0)).toThrow(/cat: shapes \[3,4\], \[2,3\] differ outside axis 0/);
    expect(() => g.stack([x, g.zeros([4, 3])])).toThrow(g.ShapeError);
    expect(() => g.split(x, [1, 1], 0)).toThrow(g.ShapeError);
    expect(() => g.layerNorm(x, [3])).toThrow(/layerNorm: normalizedShape \[3\] does not match the trailing dims of x \[3,4\]/);
    expect(() => g.conv2d(g.zeros([1, 4, 5, 5]), g.zeros([2, 3, 3, 3]), null, { groups: 2 })).toThrow(g.ShapeError);
    expect(() => g.conv2d(g.zeros([1, 1, 2, 2]), g.zeros([1, 1, 3, 3]))).toThrow(/conv2d: window .* does not fit input \[1,1,2,2\]/);
    expect(() => g.maskedFill(g.zeros([3]), g.zeros([2, 3]), 1)).toThrow(g.ShapeError);
    expect(() => g.broadcastTo(x, [4, 4])).toThrow(/broadcastTo: cannot broadcast \[3,4\] to \[4,4\]/);
    expect(() => g.max(g.zeros([0, 2]), 0)).toThrow(g.ShapeError);
    expect(() => g.tril(g.zeros([3]))).toThrow(g.ShapeError);
    const q = g.zeros([2, 3, 4]);
    expect(() => g.scaledDotProductAttention(q, g.zeros([2, 5, 3]), g.zeros([2, 5, 4]))).toThrow(/scaledDotProductAttention: .* q \[2,3,4\], k \[2,5,3\], v \[2,5,4\]/);
    expect(() => g.scaledDotProductAttention(q, g.zeros([1, 5, 4]), g.zeros([1, 5, 4]))).toThrow(g.ShapeError);
    expect(() => g.scaledDotProductAttention(q, g.zeros([2, 2, 4]), g.zeros([2, 2, 4]), { causal: true })).toThrow(/causal attention needs Tq ≤ Tk/);
    expect(() => g.scaledDotProductAttention(q, q, q, { window: 0 })).toThrow(code('E_ARG'));
    expect(() => g.scaledDotProductAttention(q, q, g.zeros([2, 3, 4], 'int32'))).toThrow(g.DtypeError);
  });
  it('dtype problems throw DtypeError; bad arguments E_ARG', () => {
    expect(() => g.indexSelect(x, 0, g.tensor([0]))).toThrow(/indexSelect: index must be int32, got float32/);
    expect(() => g.cat([x, g.zeros([3, 4], 'int32')])).toThrow(g.DtypeError);
    expect(() => g.cast(x, 'bool' as never)).toThrow(g.DtypeError);
    expect(() => g.add(x, 'a' as never)).toThrow(code('E_ARG'));
    expect(() => g.gelu(x, { approximate: 'fast' as never })).toThrow(code('E_ARG'));
    expect(() => g.maxPool2d(g.zeros([1, 1, 4, 4]), 2, { padding: 2 })).toThrow(code('E_ARG'));
    expect(() => g.conv2d(g.zeros([1, 1, 4, 4]), g.zeros([1, 1, 2, 2]), null, { stride: 0 })).toThrow(code('E_ARG'));
  });
  it('every error is a GorchError with a code', () => {
    try {
      g.matmul(x, x);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(g.GorchError);
      expect((e as g.GorchError).code).toBe('E_SHAPE');
      expect((e as Error).name).toBe('ShapeError');
    }
  });
});

describe('views and dtypes', () => {
  it('reshape/view/squeeze/unsqueeze share storage; transpose copies', () => {
    const a = g.arange(6);
    const before = g.engine.numDataIds();
    const v = a.view(2, 3).unsqueeze(0).squeeze();
    expect(g.engine.numDataIds()).toBe(before);
    expect(v.shape).toEqual([2, 3]);
    const t = v.transpose();
    expect(g.engine.numDataIds()).toBe(before + 1);
    expect(t.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(a.flatten().shape).toEqual([6]);
  });
  it('comparisons give int32 0/1 masks; int32 arithmetic stays int32; div and mean give float32', () => {
    const i = g.tensor([1, 2, 3], { dtype: 'int32' });
    expect(i.gt(1).dtype).toBe('int32');
    expect(i.gt(1).toArray()).toEqual([0, 1, 1]);
    expect(i.add(i).dtype).toBe('int32');
    expect(i.mul(0.5).dtype).toBe('float32');
    expect(i.div(2).toArray()).toEqual([0.5, 1, 1.5]);
    expect(i.mean().dtype).toBe('float32');
    expect(g.tensor([1.7, -1.7]).cast('int32').toArray()).toEqual([1, -1]);
    expect(i.sum().item()).toBe(6);
  });
  it('causal mask: tril(ones) + maskedFill(-inf) + softmax', () => {
    const T = 3;
    const mask = g.triu(g.ones([T, T], 'int32'), 1);
    const p = g.softmax(g.maskedFill(g.zeros([T, T]), mask, -Infinity));
    expect(p.toArray()).toEqual([[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3].map(Math.fround)]);
  });
});
