import { div, KernelName, mul } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d(√x) = dy/(2√x), reusing the saved output. */
export const sqrtGrad: GradConfig = {
  kernelName: KernelName.Sqrt,
  gradFunc: ([dy], { outputs: [y] }) => [() => div(dy, mul(y, 2))],
};
