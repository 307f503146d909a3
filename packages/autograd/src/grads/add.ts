import { KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { unbroadcast } from '../unbroadcast';

/** d(a+b) = dy for both operands, summed back over broadcast dims. */
export const addGrad: GradConfig = {
  kernelName: KernelName.Add,
  gradFunc: ([dy], { inputs: [a, b] }) => [() => unbroadcast(dy, a.shape), () => unbroadcast(dy, b.shape)],
};
