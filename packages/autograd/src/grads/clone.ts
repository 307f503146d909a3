import { KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d clone(x) = dy. */
export const cloneGrad: GradConfig = {
  kernelName: KernelName.Clone,
  gradFunc: ([dy]) => [() => dy],
};
