import { assertDtype, makeArray, type DType, type TypedArray } from '../dtype';
import { engine } from '../engine';
import { GorchError, ShapeError } from '../errors';
import { defaultGenerator, type Generator } from '../random';
import { checkShape, fmtShape, sizeOf, type Shape } from '../shape';
import type { NestedArray, Tensor } from '../tensor';
import { assertTensor } from './util';

/** Data accepted by {@link tensor}: a number, (nested) number arrays, or a typed array. */
export type TensorLike = number | NestedArray | readonly number[] | TypedArray;

/**
 * Creates a tensor from `data` (copied). Shape is inferred from nesting unless `shape` is given (then
 * `data` is flat with that many elements). dtype: `options.dtype`, else int32 for an Int32Array, else
 * float32. Throws ShapeError for ragged nesting or a size mismatch, GorchError `E_ARG` for non-numbers.
 */
export function tensor(data: TensorLike, options: { dtype?: DType; shape?: Shape } = {}): Tensor {
  const dtype = options.dtype ?? (data instanceof Int32Array ? 'int32' : 'float32');
  assertDtype(dtype, 'tensor');
  let shape: number[];
  let values: TypedArray;
  if (typeof data === 'number') {
    shape = [];
    values = makeArray(dtype, 1);
    values[0] = data;
  } else if (ArrayBuffer.isView(data)) {
    shape = [data.length];
    values = makeArray(dtype, data.length);
    values.set(data);
  } else if (Array.isArray(data)) {
    shape = inferShape(data);
    values = makeArray(dtype, sizeOf(shape));
    flatten(data, shape, 0, values, 0);
  } else {
    throw new GorchError('E_ARG', `tensor: data must be a number, an array or a typed array, got ${typeof data}`);
  }
  if (options.shape !== undefined) {
    const s = checkShape(options.shape, 'tensor');
    if (sizeOf(s) !== values.length) throw new ShapeError(`tensor: ${values.length} values do not fit shape ${fmtShape(s)}`);
    shape = s;
  }
  return engine.makeTensor(values, shape, dtype);
}

function inferShape(data: readonly unknown[]): number[] {
  const shape: number[] = [];
  let cur: unknown = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

function flatten(data: unknown, shape: number[], dim: number, out: TypedArray, off: number): number {
  if (dim === shape.length) {
    if (typeof data !== 'number') throw new GorchError('E_ARG', `tensor: expected a number at depth ${dim}, got ${Array.isArray(data) ? 'an array (ragged nesting)' : typeof data}`);
    out[off] = data;
    return off + 1;
  }
  if (!Array.isArray(data) || data.length !== shape[dim]) {
    throw new ShapeError(`tensor: ragged nested array: expected length ${shape[dim]} at depth ${dim}, got ${Array.isArray(data) ? data.length : typeof data}`);
  }
  for (const x of data) off = flatten(x, shape, dim + 1, out, off);
  return off;
}

/** A tensor of `shape` filled with `value` (dtype default float32). */
export function full(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  const s = checkShape(shape, 'full');
  assertDtype(dtype, 'full');
  const v = makeArray(dtype, sizeOf(s));
  if (value !== 0) v.fill(value);
  return engine.makeTensor(v, s, dtype);
}
/** Zeros of `shape`. */
export const zeros = (shape: Shape, dtype: DType = 'float32'): Tensor => full(shape, 0, dtype);
/** Ones of `shape`. */
export const ones = (shape: Shape, dtype: DType = 'float32'): Tensor => full(shape, 1, dtype);
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
 * when start, end and step are all integers, else float32. Throws `E_ARG` for step 0 or non-finite bounds.
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
  const v = makeArray(dt, n);
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
