import { bitsOf, makeArray } from '../dtype';
import { IndexError } from '../errors';
import { readInput, type KernelConfig, type TensorInfo } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { fmtShape, sizeOf, stridesOf } from '../shape';
import { result } from './util';

function checkIndex(op: string, idx: Int32Array | Float32Array, dim: number, x: TensorInfo, axis: number): void {
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    if (!(v >= 0 && v < dim)) throw new IndexError(`${op}: index ${v} at position ${i} is out of range for dim ${axis} of size ${dim} (input ${fmtShape(x.shape)})`);
  }
}

/** `IndexSelect` {axis}: [x, index (int32 1-D)] → x with dim `axis` replaced by index.length rows. */
export const indexSelectKernel: KernelConfig = {
  kernelName: KernelName.IndexSelect,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const [xi, ii] = inputs;
    const axis: number = attrs.axis;
    const x = readInput(xi);
    const idx = readInput(ii);
    const dim = xi.shape[axis];
    checkIndex('indexSelect', idx, dim, xi, axis);
    const inner = sizeOf(xi.shape.slice(axis + 1));
    const outer = sizeOf(xi.shape.slice(0, axis));
    const n = idx.length;
    const shape = [...xi.shape];
    shape[axis] = n;
    const out = makeArray(xi.dtype, outer * n * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const src = (o * dim + idx[i]) * inner;
        out.set(x.subarray(src, src + inner), (o * n + i) * inner);
      }
    }
    return result(out, shape, xi.dtype);
  },
};

/** `IndexAdd` {axis}: [x, index (int32 1-D), source] → copy of x with source slices added at index. */
export const indexAddKernel: KernelConfig = {
  kernelName: KernelName.IndexAdd,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const [xi, ii, si] = inputs;
    const axis: number = attrs.axis;
    const idx = readInput(ii);
    const src = readInput(si);
    const dim = xi.shape[axis];
    checkIndex('indexAdd', idx, dim, xi, axis);
    const out = readInput(xi).slice();
    const inner = sizeOf(xi.shape.slice(axis + 1));
    const outer = sizeOf(xi.shape.slice(0, axis));
    const n = idx.length;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const d = (o * dim + idx[i]) * inner;
        const s = (o * n + i) * inner;
        for (let k = 0; k < inner; k++) out[d + k] += src[s + k];
      }
    }
    return result(out, xi.shape, xi.dtype);
  },
};

function gatherLike(op: string, xi: TensorInfo, ii: TensorInfo, axis: number, visit: (xPos: number, iPos: number) => void): void {
  const idx = readInput(ii);
  const dim = xi.shape[axis];
  checkIndex(op, idx, dim, xi, axis);
  const r = ii.shape.length;
  const xs = stridesOf(xi.shape);
  const n = idx.length;
  const counter = new Int32Array(r);
  let base = 0; // offset into x of the current index position, excluding the axis term
  for (let p = 0; p < n; p++) {
    visit(base + idx[p] * xs[axis], p);
    for (let d = r - 1; d >= 0; d--) {
      counter[d]++;
      if (d !== axis) base += xs[d];
      if (counter[d] < ii.shape[d]) break;
      if (d !== axis) base -= xs[d] * counter[d];
      counter[d] = 0;
    }
  }
}

/** `Gather` {axis}: [x, index (int32, same rank)] → out[...] = x[..., index[...], ...] (torch.gather). */
export const gatherKernel: KernelConfig = {
  kernelName: KernelName.Gather,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const [xi, ii] = inputs;
    const x = bitsOf(readInput(xi));
    const values = makeArray(xi.dtype, sizeOf(ii.shape));
    const out = bitsOf(values);
    gatherLike('gather', xi, ii, attrs.axis, (xp, p) => {
      out[p] = x[xp];
    });
    return result(values, ii.shape, xi.dtype);
  },
};

/** `ScatterAdd` {axis}: [x, index, source] → copy of x with source[p] added at the gathered position p. */
export const scatterAddKernel: KernelConfig = {
  kernelName: KernelName.ScatterAdd,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const [xi, ii, si] = inputs;
    const src = readInput(si);
    const out = readInput(xi).slice();
    const sStrides = stridesOf(si.shape);
    const iStrides = stridesOf(ii.shape);
    const sameLayout = sStrides.every((s, d) => s === iStrides[d]);
    gatherLike('scatterAdd', xi, ii, attrs.axis, (xp, p) => {
      let sp = p;
      if (!sameLayout) {
        sp = 0;
        let rem = p;
        for (let d = 0; d < iStrides.length; d++) {
          const c = Math.floor(rem / iStrides[d]);
          rem -= c * iStrides[d];
          sp += c * sStrides[d];
        }
      }
      out[xp] += src[sp];
    });
    return result(out, xi.shape, xi.dtype);
  },
};
