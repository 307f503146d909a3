import { KernelName, mul } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d(eˣ) = dy·eˣ, reusing the saved output. */
export const expGrad: GradConfig = {
  kernelName: KernelName.Exp,
  gradFunc: ([dy], { outputs: [y] }) => [() => mul(dy, y)],
};
