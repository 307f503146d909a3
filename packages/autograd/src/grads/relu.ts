import { KernelName, le, where } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/**
 * d relu(x) = 0 where x ≤ 0, else dy: PyTorch's `threshold_backward(grad, result, 0)`, i.e.
 * `result <= 0 ? 0 : grad`, so x = 0 gets 0 and a NaN (which compares false) passes dy through.
 */
export const reluGrad: GradConfig = {
  kernelName: KernelName.Relu,
  gradFunc: ([dy], { inputs: [x] }) => [() => where(le(x, 0), 0, dy)],
};
