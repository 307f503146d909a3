import { broadcastShapes, KernelName, reshape, type Tensor } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { matmul, transposeLast2 } from '../kernel_ops';
import { unbroadcast } from '../unbroadcast';

/**
 * d(a @ b) = (dy @ bᵀ, aᵀ @ dy) with torch.matmul's conventions: a 1-D `a` acts as a row [1,k], a 1-D
 * `b` as a column [k,1], and batch dims that were broadcast are summed back to each operand's shape.
 */
export const matmulGrad: GradConfig = {
  kernelName: KernelName.MatMul,
  gradFunc: ([dy], { inputs: [a, b] }) => {
    const a2 = (): Tensor => (a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a);
    const b2 = (): Tensor => (b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b);
    const dy2 = (A: Tensor, B: Tensor): Tensor => {
      const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2), 'matmul');
      return reshape(dy, [...batch, A.shape[A.ndim - 2], B.shape[B.ndim - 1]]);
    };
    return [
      () => {
        const A = a2();
        const B = b2();
        return reshape(unbroadcast(matmul(dy2(A, B), transposeLast2(B)), A.shape), a.shape);
      },
      () => {
        const A = a2();
        const B = b2();
        return reshape(unbroadcast(matmul(transposeLast2(A), dy2(A, B)), B.shape), b.shape);
      },
    ];
  },
};
