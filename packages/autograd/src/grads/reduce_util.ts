import { reshape, type Shape, type Tensor } from '@gorch/tensor';
import { broadcastTo } from '../kernel_ops';

/** `shape` with the reduced `axes` kept as size-1 dims (the shape of a keepdim reduction). */
export function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** A reduction's output (or its gradient) reshaped to keepdim form, so it broadcasts against x. */
export function asKept(t: Tensor, inShape: Shape, axes: readonly number[]): Tensor {
  return reshape(t, keptShape(inShape, axes));
}

/** dy of a reduction broadcast back over the reduced axes to the input's shape. */
export function expandReduced(dy: Tensor, inShape: Shape, axes: readonly number[]): Tensor {
  return broadcastTo(asKept(dy, inShape, axes), inShape);
}

/** Number of elements folded into each output of a reduction over `axes`. */
export function reducedCount(shape: Shape, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * shape[a], 1);
}

/** `axis` mapped into [0, rank) (kernel attrs may carry a negative axis). */
export function axisOf(t: Tensor, axis: number): number {
  return axis < 0 ? axis + t.ndim : axis;
}
