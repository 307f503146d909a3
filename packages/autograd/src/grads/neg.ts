import { KernelName, neg } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d(-x) = -dy. */
export const negGrad: GradConfig = {
  kernelName: KernelName.Neg,
  gradFunc: ([dy]) => [() => neg(dy)],
};
