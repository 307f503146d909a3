import { KernelName, mul, sub } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** dσ(x) = dy·σ(x)·(1 - σ(x)), reusing the saved output. */
export const sigmoidGrad: GradConfig = {
  kernelName: KernelName.Sigmoid,
  gradFunc: ([dy], { outputs: [y] }) => [() => mul(dy, mul(y, sub(1, y)))],
};
