import { eq, ge, KernelName, log, mul, pow, sub, where } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { unbroadcast } from '../unbroadcast';

/**
 * d(aᵇ): for a, dy·b·a^(b-1) (0 where b == 0); for b, dy·aᵇ·ln a (0 where a == 0 and b ≥ 0).
 * The masks follow PyTorch's `pow_backward_self` / `pow_backward_exponent` (FunctionsManual.cpp),
 * so 0^b does not produce NaN gradients.
 */
export const powGrad: GradConfig = {
  kernelName: KernelName.Pow,
  gradFunc: ([dy], { inputs: [a, b], outputs: [y] }) => [
    () => unbroadcast(where(eq(b, 0), 0, mul(dy, mul(b, pow(a, sub(b, 1))))), a.shape),
    () => unbroadcast(where(mul(eq(a, 0), ge(b, 0)), 0, mul(dy, mul(y, log(a)))), b.shape),
  ],
};
