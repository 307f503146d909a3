import { gt, KernelName, lt, sub, mul } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d|x| = dy·sign(x), with sign(0) = 0 as in PyTorch (`sgn`). */
export const absGrad: GradConfig = {
  kernelName: KernelName.Abs,
  // sign(x) = (x > 0) - (x < 0): int32 masks, promoted to float32 by mul.
  gradFunc: ([dy], { inputs: [x] }) => [() => mul(dy, sub(gt(x, 0), lt(x, 0)))],
};
