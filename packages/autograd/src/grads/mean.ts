import { div, KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { expandReduced, reducedCount } from './reduce_util';

/** d mean_axes x = dy / N broadcast back over the reduced axes (N = elements per output). */
export const meanGrad: GradConfig<{ axes: number[]; keepdim: boolean }> = {
  kernelName: KernelName.Mean,
  gradFunc: ([dy], { inputs: [x], attrs }) => [() => div(expandReduced(dy, x.shape, attrs.axes), reducedCount(x.shape, attrs.axes))],
};
