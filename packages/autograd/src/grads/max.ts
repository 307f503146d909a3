import { arange, div, engine, eq, KernelName, mul, reshape, type Tensor } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { sumAxes } from '../kernel_ops';
import { asKept } from './reduce_util';

/** Attributes of the Max / Min kernels that their gradient reads. */
export interface ExtremumAttrs {
  axes: number[];
  keepdim: boolean;
  /**
   * `'first'`: the whole gradient goes to the first extremum along the (single) axis, as PyTorch's
   * max_pool2d backward routes it through its saved indices. Default: split evenly among ties, as
   * PyTorch's `amax`/`amin` backward (derivatives.yaml `scale_grad_by_count`).
   */
  tieBreak?: 'first' | 'split';
}

/** Gradient of an amax/amin reduction: dy goes to the elements equal to the result (see tieBreak). */
export function extremumReductionGrad(kernelName: string): GradConfig<ExtremumAttrs> {
  return {
    kernelName,
    gradFunc: ([dy], { inputs: [x], outputs: [y], attrs }) => [
      (): Tensor => {
        const dyKept = asKept(dy, x.shape, attrs.axes);
        if (attrs.tieBreak === 'first' && attrs.axes.length === 1) return mul(firstExtremumMask(kernelName, x, attrs.axes[0]), dyKept);
        const mask = eq(x, asKept(y, x.shape, attrs.axes));
        return mul(mask, div(dyKept, sumAxes(mask, attrs.axes, true)));
      },
    ],
  };
}

/** int32 one-hot along `axis` of the first max (min) of each slice. */
function firstExtremumMask(kernelName: string, x: Tensor, axis: number): Tensor {
  // ArgMax returns the first index of the max; the first min is the first max of -x.
  const src = kernelName === KernelName.Min ? mul(x, -1) : x;
  const idx = engine.runKernel(KernelName.ArgMax, [src], { axis, keepdim: true });
  const positions = reshape(arange(x.shape[axis]), x.shape.map((d, i) => (i === axis ? d : 1)));
  return eq(positions, idx);
}

/** d max_axes x. */
export const maxGrad = extremumReductionGrad(KernelName.Max);
