import type { DType, TypedArray } from '../dtype';
import type { KernelOutput } from '../kernel_registry';
import { sizeOf, stridesOf, type Shape } from '../shape';

/** Builds a kernel output from fresh values. */
export function result(values: TypedArray, shape: Shape, dtype: DType): KernelOutput {
  return { values, shape, dtype };
}

/**
 * For each element of `outShape` (row-major), the flat index of the element of an input of `inShape`
 * broadcast to it. One Int32Array per call, filled by an odometer loop (no per-element allocation).
 */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array {
  const n = sizeOf(outShape);
  const map = new Int32Array(n);
  const r = outShape.length;
  const inStrides = stridesOf(inShape);
  const bs = new Int32Array(r);
  for (let d = 0; d < r; d++) {
    const id = d - (r - inShape.length);
    bs[d] = id >= 0 && inShape[id] !== 1 ? inStrides[id] : 0;
  }
  if (r === 0) return map;
  const last = outShape[r - 1];
  const ls = bs[r - 1];
  const counter = new Int32Array(r);
  let base = 0;
  for (let o = 0; o < n; o += last) {
    for (let j = 0; j < last; j++) map[o + j] = base + j * ls;
    for (let d = r - 2; d >= 0; d--) {
      counter[d]++;
      base += bs[d];
      if (counter[d] < outShape[d]) break;
      base -= bs[d] * counter[d];
      counter[d] = 0;
    }
  }
  return map;
}

/** True when `inner`, without leading size-1 dims, equals the trailing dims of `outer`. */
export function isSuffix(inner: Shape, outer: Shape): boolean {
  let s = 0;
  while (s < inner.length && inner[s] === 1) s++;
  const k = inner.length - s;
  if (k > outer.length) return false;
  for (let d = 0; d < k; d++) if (inner[s + d] !== outer[outer.length - k + d]) return false;
  return true;
}
