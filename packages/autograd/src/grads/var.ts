import { div, KernelName, mul, sub } from '@gorch/tensor';
import { meanAxes } from '../kernel_ops';
import type { GradConfig } from '../grad_registry';
import { asKept, reducedCount } from './reduce_util';

/** d var_axes x = dy · 2(x - mean)/(N - correction), correction 1 when `unbiased` (Bessel; the kernel's default). */
export const varGrad: GradConfig<{ axes: number[]; keepdim: boolean; unbiased: boolean }> = {
  kernelName: KernelName.Var,
  gradFunc: ([dy], { inputs: [x], attrs }) => [
    () => {
      const n = reducedCount(x.shape, attrs.axes) - ((attrs.unbiased ?? true) ? 1 : 0);
      const centered = sub(x, meanAxes(x, attrs.axes, true));
      return mul(asKept(dy, x.shape, attrs.axes), div(mul(centered, 2), n));
    },
  ],
};
