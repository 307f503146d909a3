import { engine, KernelName, type Shape, type Tensor } from '@gorch/tensor';

// Gradients call kernels by their stable names (the contract documented in @gorch/tensor's
// KernelName) rather than through the user-facing ops: the attrs are already normalised, argument
// checks were done by the forward op, and the engine still picks the active backend's kernel.

/** Sum over `axes` (normalised, ascending). */
export const sumAxes = (x: Tensor, axes: number[], keepdim: boolean): Tensor => engine.runKernel(KernelName.Sum, [x], { axes, keepdim });
/** Contiguous copy with dims permuted. */
export const permute = (x: Tensor, perm: number[]): Tensor => engine.runKernel(KernelName.Transpose, [x], { perm });
/** Contiguous copy of `x` broadcast to `shape`. */
export const broadcastTo = (x: Tensor, shape: Shape): Tensor => engine.runKernel(KernelName.BroadcastTo, [x], { shape: [...shape] });
/** torch.matmul semantics (1-D..4-D, batch dims broadcast). */
export { matmul } from '@gorch/tensor';
/** `x` with rows of `source` added at `index` along `axis` (torch.index_add). */
export const indexAdd = (x: Tensor, index: Tensor, source: Tensor, axis: number): Tensor => engine.runKernel(KernelName.IndexAdd, [x, index, source], { axis });
/** `x` with `source` scatter-added at `index` along `axis` (torch.scatter_add). */
export const scatterAdd = (x: Tensor, index: Tensor, source: Tensor, axis: number): Tensor => engine.runKernel(KernelName.ScatterAdd, [x, index, source], { axis });
/** Concatenation along `axis`. */
export const concat = (xs: Tensor[], axis: number): Tensor => engine.runKernel(KernelName.Concat, xs, { axis });

/** Swaps the last two dims (rank ≥ 2). */
export function transposeLast2(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return permute(x, perm);
}
/** Mean over `axes` (normalised). */
export const meanAxes = (x: Tensor, axes: number[], keepdim: boolean): Tensor => engine.runKernel(KernelName.Mean, [x], { axes, keepdim });
/** Copy of x[..., start:end, ...] along `axis`. */
export const slice = (x: Tensor, axis: number, start: number, end: number): Tensor => engine.runKernel(KernelName.Slice, [x], { axis, start, end });
/** torch.index_select along `axis`. */
export const indexSelect = (x: Tensor, index: Tensor, axis: number): Tensor => engine.runKernel(KernelName.IndexSelect, [x, index], { axis });
/** torch.gather along `axis`. */
export const gather = (x: Tensor, index: Tensor, axis: number): Tensor => engine.runKernel(KernelName.Gather, [x, index], { axis });
