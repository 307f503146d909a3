import { KernelName, zeros } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { scatterAdd } from '../kernel_ops';

/** d gather(x, axis, index) = scatter_add(zeros, axis, index, dy) (repeated indices accumulate). */
export const gatherGrad: GradConfig<{ axis: number }> = {
  kernelName: KernelName.Gather,
  gradFunc: ([dy], { inputs: [x, index], attrs }) => [() => scatterAdd(zeros(x.shape), index, dy, attrs.axis), null],
};
