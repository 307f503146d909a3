import { KernelName, mul } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { unbroadcast } from '../unbroadcast';

/** d(a·b) = (dy·b, dy·a), summed back over broadcast dims. */
export const mulGrad: GradConfig = {
  kernelName: KernelName.Mul,
  gradFunc: ([dy], { inputs: [a, b] }) => [() => unbroadcast(mul(dy, b), a.shape), () => unbroadcast(mul(dy, a), b.shape)],
};
