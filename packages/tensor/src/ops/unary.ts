import { assertDtype, type DType } from '../dtype';
import { engine } from '../engine';
import { GorchError } from '../errors';
import { KernelName } from '../kernel_names';
import type { Tensor } from '../tensor';
import { assertTensor } from './util';

function unary(kernelName: string, op: string, x: Tensor, attrs: Record<string, unknown> = {}): Tensor {
  assertTensor(x, op, 'x');
  return engine.runKernel(kernelName, [x], attrs);
}

/** -x (dtype kept). */
export const neg = (x: Tensor): Tensor => unary(KernelName.Neg, 'neg', x);
/** e^x (float32). */
export const exp = (x: Tensor): Tensor => unary(KernelName.Exp, 'exp', x);
/** Natural log (float32; log 0 = -Infinity, negative → NaN, as IEEE). */
export const log = (x: Tensor): Tensor => unary(KernelName.Log, 'log', x);
/** √x (float32; negative → NaN). */
export const sqrt = (x: Tensor): Tensor => unary(KernelName.Sqrt, 'sqrt', x);
/** |x| (dtype kept). */
export const abs = (x: Tensor): Tensor => unary(KernelName.Abs, 'abs', x);
/** tanh x (float32). */
export const tanh = (x: Tensor): Tensor => unary(KernelName.Tanh, 'tanh', x);
/** Logistic sigmoid 1/(1+e^-x) (float32). */
export const sigmoid = (x: Tensor): Tensor => unary(KernelName.Sigmoid, 'sigmoid', x);
/** max(x, 0) (dtype kept; NaN stays NaN like torch.relu). */
export const relu = (x: Tensor): Tensor => unary(KernelName.Relu, 'relu', x);
/** Gauss error function (float32), Numerical Recipes erfc approximation, |rel err| < 1.2e-7. */
export const erf = (x: Tensor): Tensor => unary(KernelName.Erf, 'erf', x);

/**
 * GELU (Hendrycks & Gimpel 2016), float32. `approximate: 'none'` (default) is x·Φ(x) with the erf form,
 * as torch.nn.functional.gelu; `'tanh'` is 0.5x(1+tanh(√(2/π)(x+0.044715x³))), which Hugging Face calls
 * `gelu_new` (GPT-2's activation).
 */
export function gelu(x: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  const approximate = options.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') throw new GorchError('E_ARG', `gelu: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  return unary(KernelName.Gelu, 'gelu', x, { approximate });
}

/** Converts to `dtype` (float→int32 truncates toward zero). Returns `x` itself if already `dtype`. */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor(x, 'cast', 'x');
  assertDtype(dtype, 'cast');
  if (x.dtype === dtype) return x;
  return engine.runKernel(KernelName.Cast, [x], { dtype });
}
