import { KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { indexSelect } from '../kernel_ops';

/** d index_add(x, axis, index, source): x gets dy, source gets dy's slices at `index`. */
export const indexAddGrad: GradConfig<{ axis: number }> = {
  kernelName: KernelName.IndexAdd,
  gradFunc: ([dy], { inputs: [, index], attrs }) => [() => dy, null, () => indexSelect(dy, index, attrs.axis)],
};
