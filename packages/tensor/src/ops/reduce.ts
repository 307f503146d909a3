import { engine } from '../engine';
import { GorchError, ShapeError } from '../errors';
import { KernelName } from '../kernel_names';
import { fmtShape, normalizeAxis } from '../shape';
import type { Tensor } from '../tensor';
import { assertTensor } from './util';

/** Axis argument of reductions: one axis, several, or `null`/`undefined` for all. Negative counts from the end. */
export type Axes = number | readonly number[] | null | undefined;

function normAxes(x: Tensor, axis: Axes, op: string): number[] {
  if (axis === null || axis === undefined) return x.shape.map((_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const axes = [...new Set(list.map((a) => normalizeAxis(a, x.ndim, op)))].sort((p, q) => p - q);
  if (axes.length !== list.length) throw new GorchError('E_ARG', `${op}: repeated axis in [${list.join(',')}]`);
  return axes;
}

function run(kernelName: string, op: string, x: Tensor, axis: Axes, keepdim: boolean, extra: Record<string, unknown> = {}, nonEmpty = false): Tensor {
  assertTensor(x, op, 'x');
  const axes = normAxes(x, axis, op);
  if (nonEmpty && axes.some((a) => x.shape[a] === 0)) throw new ShapeError(`${op}: cannot reduce an empty dim of ${fmtShape(x.shape)}`);
  return engine.runKernel(kernelName, [x], { axes, keepdim, ...extra });
}

/** Sum over `axis` (default all); keepdim keeps reduced dims as size 1. int32 stays int32. */
export const sum = (x: Tensor, axis?: Axes, keepdim = false): Tensor => run(KernelName.Sum, 'sum', x, axis, keepdim);
/** Mean over `axis` (default all), float32. */
export const mean = (x: Tensor, axis?: Axes, keepdim = false): Tensor => run(KernelName.Mean, 'mean', x, axis, keepdim);
/** Maximum values over `axis` (default all; NaN propagates; values only — use argmax for indices). Throws ShapeError on an empty dim. */
export const max = (x: Tensor, axis?: Axes, keepdim = false): Tensor => run(KernelName.Max, 'max', x, axis, keepdim, {}, true);
/** Minimum values over `axis` (see {@link max}). */
export const min = (x: Tensor, axis?: Axes, keepdim = false): Tensor => run(KernelName.Min, 'min', x, axis, keepdim, {}, true);

/**
 * Variance over `axis` (default all), float32 (torch.var). `unbiased` (default true, like torch.var)
 * divides by n − 1 (Bessel's correction), else by n; with n − 1 = 0 the result is NaN, as in torch.
 * Exported as `variance` (`var` is a reserved word); the method is `t.var(...)`.
 */
export function variance(x: Tensor, axis?: Axes, options: { unbiased?: boolean; keepdim?: boolean } = {}): Tensor {
  return run(KernelName.Var, 'var', x, axis, options.keepdim ?? false, { unbiased: options.unbiased ?? true });
}

/**
 * int32 index of the (first) maximum along `axis`, or of the flattened tensor when `axis` is null
 * (torch.argmax). Throws ShapeError on an empty dim.
 */
export function argmax(x: Tensor, axis?: number | null, keepdim = false): Tensor {
  assertTensor(x, 'argmax', 'x');
  if (axis === null || axis === undefined) {
    if (x.size === 0) throw new ShapeError(`argmax: cannot reduce an empty tensor ${fmtShape(x.shape)}`);
    return engine.runKernel(KernelName.ArgMax, [x], { axis: null, keepdim });
  }
  const ax = normalizeAxis(axis, x.ndim, 'argmax');
  if (x.shape[ax] === 0) throw new ShapeError(`argmax: cannot reduce an empty dim of ${fmtShape(x.shape)}`);
  return engine.runKernel(KernelName.ArgMax, [x], { axis: ax, keepdim });
}
