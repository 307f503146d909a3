import { makeArray, type DType, type TypedArray } from '../dtype';
import { readInput, type KernelConfig, type TensorInfo } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { sizeOf, type Shape } from '../shape';
import { permuteValues } from './transform';
import { result } from './util';

/**
 * Views `x` as [outer, n, inner] with the reduced axes (sorted, unique) as the middle block. Non-adjacent
 * axes are first moved to the end with a contiguous copy.
 */
export function reductionLayout(info: TensorInfo, axes: readonly number[]): { x: TypedArray; outer: number; n: number; inner: number } {
  const shape = info.shape;
  let x = readInput(info);
  const contiguousRun = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
  if (axes.length === 0) return { x, outer: sizeOf(shape), n: 1, inner: 1 };
  if (contiguousRun) {
    const a0 = axes[0];
    const a1 = axes[axes.length - 1];
    return { x, outer: sizeOf(shape.slice(0, a0)), n: sizeOf(shape.slice(a0, a1 + 1)), inner: sizeOf(shape.slice(a1 + 1)) };
  }
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  x = permuteValues(x, shape, [...kept, ...axes], info.dtype).values;
  return { x, outer: sizeOf(kept.map((i) => shape[i])), n: sizeOf(axes.map((i) => shape[i])), inner: 1 };
}

/** Output shape of a reduction over `axes`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

type Reduce = 'sum' | 'mean' | 'max' | 'min' | 'var';

function reduce(kind: Reduce, info: TensorInfo, axes: number[], keepdim: boolean, unbiased: boolean): { values: TypedArray; shape: number[]; dtype: DType } {
  const { x, outer, n, inner } = reductionLayout(info, axes);
  const dtype: DType = kind === 'mean' || kind === 'var' ? 'float32' : info.dtype;
  const out = makeArray(dtype, outer * inner);
  // Sums accumulate in doubles: closer to the exact value than torch's float32 cascade, within 1 ulp-ish.
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    if (kind === 'max' || kind === 'min') {
      const isMax = kind === 'max';
      for (let j = 0; j < inner; j++) acc[j] = x[base + j];
      for (let k = 1; k < n; k++) {
        const row = base + k * inner;
        for (let j = 0; j < inner; j++) {
          const v = x[row + j];
          const a = acc[j];
          if (v !== v || (isMax ? v > a : v < a)) acc[j] = v;
          else if (a !== a) acc[j] = a;
        }
      }
    } else {
      acc.fill(0);
      if (inner === 1) {
        let s = 0;
        for (let k = 0; k < n; k++) s += x[base + k];
        acc[0] = s;
      } else {
        for (let k = 0; k < n; k++) {
          const row = base + k * inner;
          for (let j = 0; j < inner; j++) acc[j] += x[row + j];
        }
      }
      if (kind === 'mean') for (let j = 0; j < inner; j++) acc[j] /= n;
      if (kind === 'var') {
        // two-pass: squared deviations from the mean, divided by n - 1 (Bessel) or n
        const mean = Float64Array.from(acc, (s) => s / n);
        acc.fill(0);
        for (let k = 0; k < n; k++) {
          const row = base + k * inner;
          for (let j = 0; j < inner; j++) {
            const d = x[row + j] - mean[j];
            acc[j] += d * d;
          }
        }
        const denom = unbiased ? n - 1 : n;
        for (let j = 0; j < inner; j++) acc[j] = denom > 0 ? acc[j] / denom : NaN;
      }
    }
    for (let j = 0; j < inner; j++) out[o * inner + j] = acc[j];
  }
  return { values: out, shape: reducedShape(info.shape, axes, keepdim), dtype };
}

function reduceKernel(name: string, kind: Reduce): KernelConfig {
  return {
    kernelName: name,
    backendName: 'js',
    kernelFunc: ({ inputs, attrs }) => {
      const r = reduce(kind, inputs[0], attrs.axes, attrs.keepdim, attrs.unbiased ?? true);
      return result(r.values, r.shape, r.dtype);
    },
  };
}

/** `ArgMax` {axis: number | null, keepdim}: int32 index of the first maximum (NaN counts as maximal, like torch). */
export const argMaxKernel: KernelConfig = {
  kernelName: KernelName.ArgMax,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const info = inputs[0];
    const axis: number | null = attrs.axis;
    const all = axis === null;
    const axes = all ? info.shape.map((_, i) => i) : [axis];
    const { x, outer, n, inner } = reductionLayout(info, axes);
    const out = new Int32Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * n * inner + j;
        let best = x[base];
        let bi = 0;
        if (best === best) {
          for (let k = 1; k < n; k++) {
            const v = x[base + k * inner];
            if (v > best || v !== v) {
              best = v;
              bi = k;
              if (v !== v) break;
            }
          }
        }
        out[o * inner + j] = bi;
      }
    }
    const shape = all ? (attrs.keepdim ? info.shape.map(() => 1) : []) : reducedShape(info.shape, axes, attrs.keepdim);
    return result(out, shape, 'int32');
  },
};

/** JS reduction kernels. */
export const reduceKernels: KernelConfig[] = [
  reduceKernel(KernelName.Sum, 'sum'),
  reduceKernel(KernelName.Mean, 'mean'),
  reduceKernel(KernelName.Max, 'max'),
  reduceKernel(KernelName.Min, 'min'),
  reduceKernel(KernelName.Var, 'var'),
  argMaxKernel,
];
