import { KernelName, mul, sub } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { sumAxes } from '../kernel_ops';
import { axisOf } from './reduce_util';

/**
 * d softmax = y·(dy - Σ_axis dy·y), from the saved output y. Masked (-inf) logits have y = 0 and so
 * get a zero gradient, never NaN.
 */
export const softmaxGrad: GradConfig<{ axis: number }> = {
  kernelName: KernelName.Softmax,
  gradFunc: ([dy], { outputs: [y], attrs }) => [() => mul(y, sub(dy, sumAxes(mul(dy, y), [axisOf(y, attrs.axis)], true)))],
};
