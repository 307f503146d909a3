import { KernelName, mul, sub } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d(tanh x) = dy·(1 - tanh²x), reusing the saved output. */
export const tanhGrad: GradConfig = {
  kernelName: KernelName.Tanh,
  gradFunc: ([dy], { outputs: [y] }) => [() => mul(dy, sub(1, mul(y, y)))],
};
