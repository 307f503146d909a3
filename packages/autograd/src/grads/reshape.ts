import { KernelName, reshape } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d reshape(x) = dy reshaped back to x's shape (a view, no copy). */
export const reshapeGrad: GradConfig = {
  kernelName: KernelName.Reshape,
  gradFunc: ([dy], { inputs: [x] }) => [() => reshape(dy, x.shape)],
};
