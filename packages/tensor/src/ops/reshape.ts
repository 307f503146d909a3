import { engine } from '../engine';
import { ShapeError } from '../errors';
import { KernelName } from '../kernel_names';
import { fmtShape, normalizeAxis, sizeOf, type Shape } from '../shape';
import type { Tensor } from '../tensor';
import { assertTensor } from './util';

/**
 * Same data, new shape (shares storage: a view, no copy). One dim may be -1 (inferred). Throws
 * ShapeError when the element counts differ.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  assertTensor(x, 'reshape', 'x');
  const s = [...shape];
  const infer = s.indexOf(-1);
  if (infer !== s.lastIndexOf(-1)) throw new ShapeError(`reshape: only one dim may be -1, got ${fmtShape(shape)}`);
  for (const d of s) if (!Number.isInteger(d) || d < -1) throw new ShapeError(`reshape: invalid shape ${fmtShape(shape)}`);
  if (infer >= 0) {
    const rest = sizeOf(s.filter((_, i) => i !== infer));
    if (rest === 0 || x.size % rest !== 0) throw new ShapeError(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)}`);
    s[infer] = x.size / rest;
  }
  if (sizeOf(s) !== x.size) throw new ShapeError(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)}`);
  return engine.runKernel(KernelName.Reshape, [x], { shape: s });
}

/** Alias of {@link reshape} (torch `view`; gorch tensors are always contiguous). */
export const view = reshape;

/** Flattens dims startDim..endDim (inclusive, negative allowed) into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  assertTensor(x, 'flatten', 'x');
  if (x.ndim === 0) return reshape(x, [1]);
  const a = normalizeAxis(startDim, x.ndim, 'flatten');
  const b = normalizeAxis(endDim, x.ndim, 'flatten');
  if (a > b) throw new ShapeError(`flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${fmtShape(x.shape)}`);
  return reshape(x, [...x.shape.slice(0, a), sizeOf(x.shape.slice(a, b + 1)), ...x.shape.slice(b + 1)]);
}

/** Removes size-1 dims: all of them, or only `axis` (a no-op when that dim is not 1, like torch). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  assertTensor(x, 'squeeze', 'x');
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const ax = normalizeAxis(axis, x.ndim, 'squeeze');
  if (x.shape[ax] !== 1) return reshape(x, x.shape);
  return reshape(x, x.shape.filter((_, i) => i !== ax));
}

/** Inserts a size-1 dim at `axis` (in [-ndim-1, ndim]). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  assertTensor(x, 'unsqueeze', 'x');
  const ax = normalizeAxis(axis, x.ndim + 1, 'unsqueeze');
  const s = [...x.shape];
  s.splice(ax, 0, 1);
  return reshape(x, s);
}
