import { engine } from '../engine';
import { DtypeError, GorchError, IndexError, ShapeError } from '../errors';
import { KernelName } from '../kernel_names';
import { checkNumel, fmtShape, normalizeAxis, shapesEqual, type Shape } from '../shape';
import type { Tensor } from '../tensor';
import { unsqueeze } from './reshape';
import { assertTensor, disposeIntermediates } from './util';

/** Contiguous copy with dims reordered: out.shape[i] = x.shape[dims[i]] (torch.permute). Throws IndexError for a bad permutation. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor(x, 'permute', 'x');
  if (dims.length !== x.ndim) throw new IndexError(`permute: got ${dims.length} dims [${dims.join(',')}] for a tensor of shape ${fmtShape(x.shape)}`);
  const perm = dims.map((d) => normalizeAxis(d, x.ndim, 'permute'));
  if (new Set(perm).size !== perm.length) throw new IndexError(`permute: repeated dim in [${dims.join(',')}]`);
  if (perm.every((p, i) => p === i)) return engine.runKernel(KernelName.Clone, [x]);
  return engine.runKernel(KernelName.Transpose, [x], { perm });
}

/** Swaps dims `dim0` and `dim1` (default: the last two), returning a contiguous copy (torch.transpose(...).contiguous()). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  assertTensor(x, 'transpose', 'x');
  if (x.ndim < 2 && dim0 === -2 && dim1 === -1) return permute(x, x.shape.map((_, i) => i));
  const a = normalizeAxis(dim0, x.ndim, 'transpose');
  const b = normalizeAxis(dim1, x.ndim, 'transpose');
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** A contiguous copy of `x` (gorch tensors are always contiguous, so this is `clone`). */
export function clone(x: Tensor): Tensor {
  assertTensor(x, 'clone', 'x');
  return engine.runKernel(KernelName.Clone, [x]);
}
/** Same as {@link clone}; kept for PyTorch familiarity. */
export const contiguous = clone;

/**
 * Materialises `x` broadcast to `shape` (NumPy rules; x's dims align to the right). Throws ShapeError
 * naming both shapes when x does not broadcast to exactly `shape` or the result would exceed 2^31 − 1
 * elements (the copy is materialised).
 */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  assertTensor(x, 'broadcastTo', 'x');
  const s = [...shape];
  const off = s.length - x.ndim;
  const ok = off >= 0 && x.shape.every((d, i) => d === s[i + off] || d === 1);
  if (!ok || s.some((d) => !Number.isInteger(d) || d < 0)) throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  checkNumel(s, 'broadcastTo');
  if (shapesEqual(x.shape, s)) return clone(x);
  return engine.runKernel(KernelName.BroadcastTo, [x], { shape: s });
}

/** torch `expand`: like {@link broadcastTo} but -1 keeps that dim's size. Returns a contiguous copy. */
export function expand(x: Tensor, shape: Shape): Tensor {
  assertTensor(x, 'expand', 'x');
  const off = shape.length - x.ndim;
  return broadcastTo(x, shape.map((d, i) => (d === -1 && i >= off ? x.shape[i - off] : d)));
}

/**
 * Copy of x[..., start:end, ...] along `axis` (Python slice semantics: negative indices count from the
 * end; `end` defaults to the dim size). Throws IndexError when start/end fall outside [-dim, dim] or start > end.
 */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  assertTensor(x, 'slice', 'x');
  const ax = normalizeAxis(axis, x.ndim, 'slice');
  const dim = x.shape[ax];
  const e0 = end ?? dim;
  if (!Number.isInteger(start) || !Number.isInteger(e0) || start < -dim || start > dim || e0 < -dim || e0 > dim) {
    throw new IndexError(`slice: range ${start}:${e0} is out of bounds for dim ${ax} of size ${dim} (shape ${fmtShape(x.shape)})`);
  }
  const s = start < 0 ? start + dim : start;
  const e = e0 < 0 ? e0 + dim : e0;
  if (s > e) throw new IndexError(`slice: start ${start} is after end ${e0} for dim ${ax} of size ${dim} (shape ${fmtShape(x.shape)})`);
  return engine.runKernel(KernelName.Slice, [x], { axis: ax, start: s, end: e });
}

/**
 * Splits along `axis` into chunks of `splitSize` (the last may be smaller) or into the given sizes,
 * which must sum to the dim (torch.split). Each chunk is a copy.
 */
export function split(x: Tensor, splitSize: number | readonly number[], axis = 0): Tensor[] {
  assertTensor(x, 'split', 'x');
  const ax = normalizeAxis(axis, x.ndim, 'split');
  const dim = x.shape[ax];
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize <= 0) throw new GorchError('E_ARG', `split: splitSize must be a positive integer, got ${splitSize}`);
    sizes = [];
    for (let s = 0; s < dim; s += splitSize) sizes.push(Math.min(splitSize, dim - s));
  } else {
    sizes = [...splitSize];
    if (sizes.reduce((a, b) => a + b, 0) !== dim || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new ShapeError(`split: sizes [${sizes.join(',')}] do not sum to dim ${ax} of size ${dim} (shape ${fmtShape(x.shape)})`);
    }
  }
  let off = 0;
  return sizes.map((s) => slice(x, ax, off, (off += s)));
}

/**
 * Concatenates along `axis` (torch.cat). All tensors need the same dtype and rank and equal sizes except
 * along `axis`; otherwise ShapeError / DtypeError naming the offending shapes.
 */
export function cat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!xs || typeof xs.length !== 'number' || xs.length === 0) throw new GorchError('E_ARG', 'cat: expected a non-empty array of tensors');
  xs.forEach((t, i) => assertTensor(t, 'cat', `xs[${i}]`));
  const first = xs[0];
  const ax = normalizeAxis(axis, first.ndim, 'cat');
  for (const t of xs) {
    if (t.dtype !== first.dtype) throw new DtypeError(`cat: dtypes differ (${first.dtype} vs ${t.dtype})`);
    if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(`cat: shapes ${xs.map((u) => fmtShape(u.shape)).join(', ')} differ outside axis ${ax}`);
    }
  }
  if (xs.length === 1) return clone(first);
  return engine.runKernel(KernelName.Concat, [...xs], { axis: ax });
}

/** Stacks same-shape tensors along a new axis (torch.stack); a composition of unsqueeze + cat. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!xs || typeof xs.length !== 'number' || xs.length === 0) throw new GorchError('E_ARG', 'stack: expected a non-empty array of tensors');
  xs.forEach((t, i) => assertTensor(t, 'stack', `xs[${i}]`));
  for (const t of xs) {
    if (!shapesEqual(t.shape, xs[0].shape)) throw new ShapeError(`stack: shapes differ: ${xs.map((u) => fmtShape(u.shape)).join(', ')}`);
  }
  const ax = normalizeAxis(axis, xs[0].ndim + 1, 'stack');
  const parts = xs.map((t) => unsqueeze(t, ax));
  const out = cat(parts, ax);
  disposeIntermediates(xs, parts);
  return out;
}

function triangular(op: string, x: Tensor, diagonal: number, upper: boolean): Tensor {
  assertTensor(x, op, 'x');
  if (x.ndim < 2) throw new ShapeError(`${op}: needs at least 2 dims, got ${fmtShape(x.shape)}`);
  if (!Number.isInteger(diagonal)) throw new GorchError('E_ARG', `${op}: diagonal must be an integer, got ${diagonal}`);
  return engine.runKernel(KernelName.Triangular, [x], { upper, diagonal });
}

/**
 * Lower triangle of the last two dims: keeps x[i, j] with j − i ≤ diagonal, zeros elsewhere (torch.tril).
 * `tril(ones([T, T]))` is the causal attention mask (1 = may attend).
 */
export const tril = (x: Tensor, diagonal = 0): Tensor => triangular('tril', x, diagonal, false);
/** Upper triangle: keeps j − i ≥ diagonal (torch.triu). `triu(ones([T,T]), 1)` marks future positions. */
export const triu = (x: Tensor, diagonal = 0): Tensor => triangular('triu', x, diagonal, true);

