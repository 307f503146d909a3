import { add, erf, exp, KernelName, mul, sub, tanh, type Tensor } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const C = 0.044715;

/**
 * Derivative of GELU (Hendrycks & Gimpel 2016), both forms of PyTorch's `gelu_backward`:
 * erf form  Φ(x) + x·φ(x) with Φ(x) = ½(1 + erf(x/√2)), φ(x) = e^(-x²/2)/√(2π);
 * tanh form ½(1 + t) + ½x(1 - t²)·√(2/π)(1 + 3·0.044715x²) with t = tanh(√(2/π)(x + 0.044715x³)).
 */
export const geluGrad: GradConfig<{ approximate: 'none' | 'tanh' }> = {
  kernelName: KernelName.Gelu,
  gradFunc: ([dy], { inputs: [x], attrs }) => [() => mul(dy, attrs.approximate === 'tanh' ? dTanhForm(x) : dErfForm(x))],
};

function dErfForm(x: Tensor): Tensor {
  const cdf = mul(add(erf(mul(x, SQRT1_2)), 1), 0.5);
  const pdf = mul(exp(mul(mul(x, x), -0.5)), INV_SQRT_2PI);
  return add(cdf, mul(x, pdf));
}

function dTanhForm(x: Tensor): Tensor {
  const x2 = mul(x, x);
  const t = tanh(mul(add(x, mul(mul(x2, x), C)), SQRT_2_OVER_PI));
  const dInner = mul(add(mul(x2, 3 * C), 1), SQRT_2_OVER_PI);
  return add(mul(add(t, 1), 0.5), mul(mul(mul(x, 0.5), sub(1, mul(t, t))), dInner));
}
