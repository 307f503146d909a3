import { IndexError, ShapeError } from './errors';

/** A tensor shape: non-negative integer sizes, outermost first (row-major). `[]` is a scalar. */
export type Shape = readonly number[];

/** Number of elements of `shape` (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-contiguous) strides of `shape`, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Most elements one tensor may hold: 2^31 − 1. Every JS engine can allocate a typed array this long
 * (V8 allows 2^32, older engines and 32-bit builds 2^31 − 1) and kernels may index with 32-bit integer
 * arithmetic. Sizes below the limit are allowed even when huge: they are only slow, or run out of
 * memory. Checked by {@link checkNumel} where shapes are validated and output shapes computed.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Element count of `shape` (product in float64, so it cannot wrap) after checking it against
 * {@link MAX_ELEMENTS}. Throws {@link ShapeError} naming `op` and the shape when it is too large.
 */
export function checkNumel(shape: Shape, op: string): number {
  const n = sizeOf(shape);
  if (n > MAX_ELEMENTS) {
    throw new ShapeError(`${op}: shape ${fmtShape(shape)} has ${n} elements, more than a tensor can hold (${MAX_ELEMENTS} = 2^31-1)`);
  }
  return n;
}

/** `[2,3]` formatting used in error messages. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** True when both shapes have the same rank and sizes. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * NumPy broadcasting of two shapes (numpy.org "Broadcasting" rules: align trailing dims; each pair
 * must be equal or contain a 1). Throws {@link ShapeError} naming `op` and both shapes.
 */
export function broadcastShapes(a: Shape, b: Shape, op = 'broadcast'): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} are not broadcastable (dim ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  checkNumel(out, op);
  return out;
}

/** Maps a possibly negative `axis` into `[0, rank)`; throws {@link IndexError} naming `op`. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new IndexError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Validates a shape given by the user (non-negative integers, at most {@link MAX_ELEMENTS} elements);
 * throws {@link ShapeError}.
 */
export function checkShape(shape: Shape, op: string): number[] {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`${op}: invalid shape ${fmtShape(shape)} (sizes must be non-negative integers)`);
  }
  checkNumel(shape, op);
  return [...shape];
}
