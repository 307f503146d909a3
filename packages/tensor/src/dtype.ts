import { DtypeError, ShapeError } from './errors';
import { MAX_ELEMENTS } from './shape';

/** Element types of gorch tensors. `'float32'` is the default; `'int32'` holds indices and 0/1 masks. */
export type DType = 'float32' | 'int32';

/** Backing storage of a tensor: `Float32Array` for float32, `Int32Array` for int32. */
export type TypedArray = Float32Array | Int32Array;

/** All supported dtypes. */
export const DTYPES: readonly DType[] = ['float32', 'int32'];

/**
 * Allocates zero-filled storage of `n` elements for `dtype`. Throws {@link ShapeError} naming `op` when
 * `n` is above {@link MAX_ELEMENTS} (or not a number), instead of the engine's raw RangeError.
 */
export function makeArray(dtype: DType, n: number, op = 'allocate'): TypedArray {
  if (!(n <= MAX_ELEMENTS)) throw new ShapeError(`${op}: cannot allocate ${n} ${dtype} elements (a tensor holds at most ${MAX_ELEMENTS} = 2^31-1)`);
  return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
}

/**
 * The same storage read as 32-bit integers (an `Int32Array` is returned as is). Kernels that only move
 * elements (transpose, broadcast, tril, where, gather) copy through it so every float keeps its exact
 * bits, as torch's copies do: a `Float32Array` element read in JS becomes a double, and the round trip
 * turns a signalling NaN (e.g. 0x7f800001) into a quiet one (0x7fc00001).
 */
export function bitsOf(a: TypedArray): Int32Array {
  return a instanceof Int32Array ? a : new Int32Array(a.buffer, a.byteOffset, a.length);
}

/**
 * Result dtype of a binary arithmetic op (PyTorch type promotion restricted to gorch's two dtypes):
 * int32 only when both operands are int32.
 */
export function promoteTypes(a: DType, b: DType): DType {
  return a === 'int32' && b === 'int32' ? 'int32' : 'float32';
}

/** Throws {@link DtypeError} unless `dtype` is a supported dtype. */
export function assertDtype(dtype: unknown, op: string): asserts dtype is DType {
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new DtypeError(`${op}: unsupported dtype ${JSON.stringify(dtype)} (expected 'float32' or 'int32')`);
  }
}
