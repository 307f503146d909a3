import { KernelName, zeros } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { indexAdd } from '../kernel_ops';

/**
 * d index_select(x, axis, index) is a scatter-add: dy's slices are added into zeros at `index`, so a
 * repeated index (an embedding row used twice) accumulates both gradients.
 */
export const indexSelectGrad: GradConfig<{ axis: number }> = {
  kernelName: KernelName.IndexSelect,
  gradFunc: ([dy], { inputs: [x, index], attrs }) => [() => indexAdd(zeros(x.shape), index, dy, attrs.axis), null],
};
