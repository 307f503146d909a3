import { exp, KernelName, mul, neg } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** d erf(x) = dy·(2/√π)·e^(-x²). */
export const erfGrad: GradConfig = {
  kernelName: KernelName.Erf,
  gradFunc: ([dy], { inputs: [x] }) => [() => mul(dy, mul(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI))],
};
