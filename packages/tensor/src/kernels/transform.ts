import { bitsOf, makeArray, type DType, type TypedArray } from '../dtype';
import { readInput, type KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { sizeOf, stridesOf, type Shape } from '../shape';
import { broadcastIndex, result } from './util';

/** Copies `x` of `shape` into a new contiguous array with dims permuted by `perm` (bit-exact: {@link bitsOf}). */
export function permuteValues(input: TypedArray, shape: Shape, perm: readonly number[], dtype: DType): { values: TypedArray; shape: number[] } {
  const r = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const n = input.length;
  const values = makeArray(dtype, n);
  if (n === 0) return { values, shape: outShape };
  const x = bitsOf(input), out = bitsOf(values);
  const inStrides = stridesOf(shape);
  const s = perm.map((p) => inStrides[p]);
  if (r === 2 && perm[0] === 1) {
    // 2-D transpose in 32×32 tiles so reads and writes both stay in cache
    const R = shape[0], C = shape[1];
    for (let i0 = 0; i0 < R; i0 += 32) {
      const i1 = Math.min(R, i0 + 32);
      for (let j0 = 0; j0 < C; j0 += 32) {
        const j1 = Math.min(C, j0 + 32);
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * R + i] = x[i * C + j];
      }
    }
    return { values, shape: outShape };
  }
  const last = outShape[r - 1];
  const ls = s[r - 1];
  const counter = new Int32Array(r);
  let base = 0;
  for (let o = 0; o < n; o += last) {
    for (let j = 0; j < last; j++) out[o + j] = x[base + j * ls];
    for (let d = r - 2; d >= 0; d--) {
      counter[d]++;
      base += s[d];
      if (counter[d] < outShape[d]) break;
      base -= s[d] * counter[d];
      counter[d] = 0;
    }
  }
  return { values, shape: outShape };
}

/** `Transpose` {perm}: contiguous copy with permuted dims. */
export const transposeKernel: KernelConfig = {
  kernelName: KernelName.Transpose,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const info = inputs[0];
    const p = permuteValues(readInput(info), info.shape, attrs.perm, info.dtype);
    return result(p.values, p.shape, info.dtype);
  },
};

/** `BroadcastTo` {shape}: contiguous copy of x broadcast to shape. */
export const broadcastToKernel: KernelConfig = {
  kernelName: KernelName.BroadcastTo,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const info = inputs[0];
    const x = bitsOf(readInput(info));
    const shape: Shape = attrs.shape;
    const n = sizeOf(shape);
    const values = makeArray(info.dtype, n);
    const out = bitsOf(values);
    if (x.length === 1) out.fill(x[0]);
    else if (n > 0) {
      const idx = broadcastIndex(info.shape, shape);
      for (let i = 0; i < n; i++) out[i] = x[idx[i]];
    }
    return result(values, shape, info.dtype);
  },
};

/** `Clone`: contiguous copy. */
export const cloneKernel: KernelConfig = {
  kernelName: KernelName.Clone,
  backendName: 'js',
  kernelFunc: ({ inputs }) => result(readInput(inputs[0]).slice(), inputs[0].shape, inputs[0].dtype),
};

/** `Slice` {axis, start, end} (normalised, 0 ≤ start ≤ end ≤ dim): copy of the range along axis. */
export const sliceKernel: KernelConfig = {
  kernelName: KernelName.Slice,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const info = inputs[0];
    const x = readInput(info);
    const { axis, start, end } = attrs as { axis: number; start: number; end: number };
    const shape = [...info.shape];
    const dim = shape[axis];
    const inner = sizeOf(shape.slice(axis + 1));
    const outer = sizeOf(shape.slice(0, axis));
    const len = end - start;
    shape[axis] = len;
    const out = makeArray(info.dtype, outer * len * inner);
    const chunk = len * inner;
    for (let o = 0; o < outer; o++) out.set(x.subarray((o * dim + start) * inner, (o * dim + start) * inner + chunk), o * chunk);
    return result(out, shape, info.dtype);
  },
};

/** `Concat` {axis}: inputs (same dtype, same shape except along axis) joined along axis. */
export const concatKernel: KernelConfig = {
  kernelName: KernelName.Concat,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const axis: number = attrs.axis;
    const first = inputs[0];
    const shape = [...first.shape];
    shape[axis] = inputs.reduce((s, t) => s + t.shape[axis], 0);
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const rowOut = shape[axis] * inner;
    const out = makeArray(first.dtype, outer * rowOut);
    let off = 0;
    for (const t of inputs) {
      const x = readInput(t);
      const row = t.shape[axis] * inner;
      for (let o = 0; o < outer; o++) out.set(x.subarray(o * row, o * row + row), o * rowOut + off);
      off += row;
    }
    return result(out, shape, first.dtype);
  },
};

/** `Triangular` {upper, diagonal}: tril/triu over the last two dims (torch.tril / torch.triu). */
export const triangularKernel: KernelConfig = {
  kernelName: KernelName.Triangular,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const info = inputs[0];
    const x = bitsOf(readInput(info));
    const { upper, diagonal } = attrs as { upper: boolean; diagonal: number };
    const r = info.shape.length;
    const R = info.shape[r - 2];
    const C = info.shape[r - 1];
    const values = makeArray(info.dtype, x.length);
    const out = bitsOf(values);
    for (let m = 0; m < x.length; m += R * C) {
      for (let i = 0; i < R; i++) {
        // keep j - i <= diagonal (tril) or j - i >= diagonal (triu)
        const lo = upper ? Math.max(0, i + diagonal) : 0;
        const hi = upper ? C : Math.min(C, i + diagonal + 1);
        for (let j = lo; j < hi; j++) out[m + i * C + j] = x[m + i * C + j];
      }
    }
    return result(values, info.shape, info.dtype);
  },
};
