import { gt, KernelName, where } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d relu(x) = dy where x > 0, else 0 (0 at x = 0, as PyTorch's `threshold_backward`). */
export const reluGrad: GradConfig = {
  kernelName: KernelName.Relu,
  gradFunc: ([dy], { inputs: [x] }) => [() => where(gt(x, 0), dy, 0)],
};
