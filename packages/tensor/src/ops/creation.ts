import { assertDtype, makeArray, type DType, type TypedArray } from '../dtype';
import { engine } from '../engine';
import { DtypeError, GorchError, ShapeError } from '../errors';
import { defaultGenerator, type Generator } from '../random';
import { checkNumel, checkShape, fmtShape, sizeOf, type Shape } from '../shape';
import type { NestedArray, Tensor } from '../tensor';
import { assertTensor } from './util';

/**
 * Data accepted by {@link tensor}: a number, (nested) number arrays, or a typed array (including
 * BigInt64Array / BigUint64Array, whose values must fit int32).
 */
export type TensorLike = number | NestedArray | readonly number[] | TypedArray | ArrayBufferView;

/** Deepest nesting {@link tensor} accepts (torch's own limit on dims is 64 too). */
export const MAX_NDIM = 64;

/**
 * Creates a tensor from `data` (copied). Shape is inferred from nesting unless `shape` is given (then
 * `data` is flat with that many elements). dtype: `options.dtype`, else int32 for an Int32Array or a
 * BigInt64Array / BigUint64Array, else float32.
 *
 * Into int32, non-integer values truncate toward zero (like torch.tensor([1.7], dtype=torch.int32));
 * NaN, ±Infinity and values outside [−2^31, 2^31 − 1] throw {@link DtypeError} naming the value and its
 * flat index (torch raises "value cannot be converted to type int32 without overflow"), as do bigint
 * values outside int32 whatever the dtype. Throws ShapeError for ragged nesting, more than
 * {@link MAX_NDIM} levels, more than 2^31 − 1 elements or a size mismatch; GorchError `E_ARG` for
 * non-numbers.
 */
export function tensor(data: TensorLike, options: { dtype?: DType; shape?: Shape } = {}): Tensor {
  const bigint = data instanceof BigInt64Array || data instanceof BigUint64Array;
  const dtype = options.dtype ?? (data instanceof Int32Array || bigint ? 'int32' : 'float32');
  assertDtype(dtype, 'tensor');
  let shape: number[];
  let values: TypedArray;
  if (typeof data === 'number') {
    shape = [];
    values = makeArray(dtype, 1, 'tensor');
    values[0] = data;
    if (dtype === 'int32') checkInt32([data], 'tensor');
  } else if (bigint) {
    shape = [data.length];
    values = fromBigInt(data, dtype);
  } else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const src = data as TypedArray;
    shape = [src.length];
    if (dtype === 'int32' && !(src instanceof Int32Array)) checkInt32(src, 'tensor');
    values = makeArray(dtype, src.length, 'tensor');
    values.set(src);
  } else if (Array.isArray(data)) {
    shape = inferShape(data);
    values = makeArray(dtype, checkNumel(shape, 'tensor'), 'tensor');
    flatten(data, shape, values);
  } else {
    throw new GorchError('E_ARG', `tensor: data must be a number, an array or a typed array, got ${data === null ? 'null' : typeof data}`);
  }
  if (options.shape !== undefined) {
    const s = checkShape(options.shape, 'tensor');
    if (sizeOf(s) !== values.length) throw new ShapeError(`tensor: ${values.length} values do not fit shape ${fmtShape(s)}`);
    shape = s;
  }
  return engine.makeTensor(values, shape, dtype);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function int32Error(v: number | bigint, i: number, op: string): DtypeError {
  return new DtypeError(`${op}: value ${v} at flat index ${i} cannot be converted to int32 without overflow (int32 holds finite values in [-2^31, 2^31-1])`);
}

/** Throws DtypeError for the first value that int32 storage would silently wrap (NaN, ±Inf, overflow). */
function checkInt32(vals: ArrayLike<number>, op: string): void {
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    // Truncation toward zero is allowed (torch does it): compare the truncated value with the range.
    if (!(Math.trunc(v) >= INT32_MIN && Math.trunc(v) <= INT32_MAX)) throw int32Error(v, i, op);
  }
}

function fromBigInt(data: BigInt64Array | BigUint64Array, dtype: DType): TypedArray {
  const out = makeArray(dtype, data.length, 'tensor');
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < -2147483648n || v > 2147483647n) throw int32Error(v, i, 'tensor');
    out[i] = Number(v);
  }
  return out;
}

function inferShape(data: readonly unknown[]): number[] {
  const shape: number[] = [];
  let cur: unknown = data;
  while (Array.isArray(cur)) {
    if (shape.length === MAX_NDIM) throw new ShapeError(`tensor: nested array is more than ${MAX_NDIM} levels deep`);
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/** Copies nested `data` into `out` in row-major order (recursion depth is bounded by MAX_NDIM). */
function flatten(data: unknown, shape: number[], out: TypedArray): void {
  const int = out instanceof Int32Array;
  let off = 0;
  const walk = (x: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof x !== 'number') throw new GorchError('E_ARG', `tensor: expected a number at depth ${dim}, got ${Array.isArray(x) ? 'an array (ragged nesting)' : x === null ? 'null' : typeof x}`);
      if (int && !(Math.trunc(x) >= INT32_MIN && Math.trunc(x) <= INT32_MAX)) throw int32Error(x, off, 'tensor');
      out[off++] = x;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(`tensor: ragged nested array: expected length ${shape[dim]} at depth ${dim}, got ${Array.isArray(x) ? x.length : typeof x}`);
    }
    for (let i = 0; i < x.length; i++) walk(x[i], dim + 1);
  };
  walk(data, 0);
}

/**
 * A tensor of `shape` filled with `value` (dtype default float32). Throws ShapeError for an invalid shape
 * or more than 2^31 − 1 elements (smaller sizes are allowed however large: they are only slow or run out
 * of memory), DtypeError when `value` does not fit int32.
 */
export function full(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  return filled(shape, value, dtype, 'full');
}
/** Zeros of `shape` (errors: see {@link full}). */
export const zeros = (shape: Shape, dtype: DType = 'float32'): Tensor => filled(shape, 0, dtype, 'zeros');
/** Ones of `shape` (errors: see {@link full}). */
export const ones = (shape: Shape, dtype: DType = 'float32'): Tensor => filled(shape, 1, dtype, 'ones');

function filled(shape: Shape, value: number, dtype: DType, op: string): Tensor {
  const s = checkShape(shape, op);
  assertDtype(dtype, op);
  if (dtype === 'int32') checkInt32([value], op);
  const v = makeArray(dtype, sizeOf(s), op);
  if (value !== 0) v.fill(value);
  return engine.makeTensor(v, s, dtype);
}
/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: Tensor): Tensor {
  assertTensor(x, 'zerosLike', 'x');
  return full(x.shape, 0, x.dtype);
}
/** Ones with the shape and dtype of `x`. */
export function onesLike(x: Tensor): Tensor {
  assertTensor(x, 'onesLike', 'x');
  return full(x.shape, 1, x.dtype);
}

/**
 * 1-D values start, start+step, ... < end (torch.arange). `arange(n)` is 0..n-1. dtype defaults to int32
 * when start, end and step are all integers, else float32. Throws `E_ARG` for step 0 or non-finite bounds,
 * ShapeError for more than 2^31 − 1 values, DtypeError when int32 values would overflow.
 */
export function arange(start: number, end?: number, step = 1, dtype?: DType): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(step) || step === 0) {
    throw new GorchError('E_ARG', `arange: invalid range start=${start} end=${end} step=${step}`);
  }
  const dt = dtype ?? (Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step) ? 'int32' : 'float32');
  assertDtype(dt, 'arange');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const v = makeArray(dt, checkNumel([n], 'arange'), 'arange');
  if (dt === 'int32' && n > 0) checkInt32([start, start + (n - 1) * step], 'arange');
  for (let i = 0; i < n; i++) v[i] = start + i * step;
  return engine.makeTensor(v, [n], dt);
}

/** Options of the random creation ops. */
export interface RandomOptions {
  /** Generator to draw from; default: the global one seeded by `manualSeed`. */
  generator?: Generator;
}

/** Uniform [0, 1) float32 of `shape` (see {@link Generator} for the PRNG). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  const s = checkShape(shape, 'rand');
  const g = options.generator ?? defaultGenerator;
  const v = new Float32Array(sizeOf(s));
  for (let i = 0; i < v.length; i++) v[i] = g.uniform();
  return engine.makeTensor(v, s, 'float32');
}

/** Standard-normal float32 of `shape` (Box–Muller over the {@link Generator} stream). */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  const s = checkShape(shape, 'randn');
  const g = options.generator ?? defaultGenerator;
  const v = new Float32Array(sizeOf(s));
  for (let i = 0; i < v.length; i++) v[i] = g.normal();
  return engine.makeTensor(v, s, 'float32');
}
