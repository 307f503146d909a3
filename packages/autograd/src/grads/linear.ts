import { KernelName, reshape } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { matmul, sumAxes, transposeLast2 } from '../kernel_ops';

/**
 * d linear(x, W, b) with y = x·Wᵀ + b, W [out, in]: dx = dy·W, dW = Σ_batch dyᵀ·x, db = Σ_batch dy
 * (x's leading dims are flattened into one batch dim for the weight and bias gradients).
 */
export const linearGrad: GradConfig = {
  kernelName: KernelName.Linear,
  gradFunc: ([dy], { inputs: [x, weight, bias] }) => {
    const [out, inF] = weight.shape;
    return [
      () => matmul(dy, weight),
      () => matmul(transposeLast2(reshape(dy, [-1, out])), reshape(x, [-1, inF])),
      bias === undefined ? null : () => (dy.ndim === 1 ? dy : sumAxes(reshape(dy, [-1, out]), [0], false)),
    ];
  },
};
