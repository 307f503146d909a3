import { KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { expandReduced } from './reduce_util';

/** d Σ_axes x = dy broadcast back over the reduced axes. */
export const sumGrad: GradConfig<{ axes: number[]; keepdim: boolean }> = {
  kernelName: KernelName.Sum,
  gradFunc: ([dy], { inputs: [x], attrs }) => [() => expandReduced(dy, x.shape, attrs.axes)],
};
