import { KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { gather } from '../kernel_ops';

/** d scatter_add(x, axis, index, source): x gets dy, source gets gather(dy, axis, index). */
export const scatterAddGrad: GradConfig<{ axis: number }> = {
  kernelName: KernelName.ScatterAdd,
  gradFunc: ([dy], { inputs: [, index], attrs }) => [() => dy, null, () => gather(dy, index, attrs.axis)],
};
