import { div, KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d(ln x) = dy/x. */
export const logGrad: GradConfig = {
  kernelName: KernelName.Log,
  gradFunc: ([dy], { inputs: [x] }) => [() => div(dy, x)],
};
