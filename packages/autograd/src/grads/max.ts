import { div, eq, KernelName, mul, type Tensor } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { sumAxes } from '../kernel_ops';
import { asKept } from './reduce_util';

/**
 * Gradient of an amax/amin reduction: dy goes to the elements equal to the result, split evenly
 * among ties (PyTorch's `amax`/`amin` backward, derivatives.yaml `scale_grad_by_count`).
 */
export function extremumReductionGrad(kernelName: string): GradConfig<{ axes: number[]; keepdim: boolean }> {
  return {
    kernelName,
    gradFunc: ([dy], { inputs: [x], outputs: [y], attrs }) => [
      (): Tensor => {
        const mask = eq(x, asKept(y, x.shape, attrs.axes));
        const count = sumAxes(mask, attrs.axes, true);
        return mul(mask, div(asKept(dy, x.shape, attrs.axes), count));
      },
    ],
  };
}

/** d max_axes x. */
export const maxGrad = extremumReductionGrad(KernelName.Max);
