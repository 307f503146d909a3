import { KernelName, neg } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { unbroadcast } from '../unbroadcast';

/** d(a-b) = (dy, -dy), summed back over broadcast dims. */
export const subGrad: GradConfig = {
  kernelName: KernelName.Sub,
  gradFunc: ([dy], { inputs: [a, b] }) => [() => unbroadcast(dy, a.shape), () => unbroadcast(neg(dy), b.shape)],
};
