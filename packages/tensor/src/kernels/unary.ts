import { bitsOf, makeArray, type DType, type TypedArray } from '../dtype';
import { readInput, type KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { result } from './util';

type Loop = (x: TypedArray, out: TypedArray, n: number) => void;

function unaryKernel(name: string, loop: Loop, keepDtype: boolean): KernelConfig {
  return {
    kernelName: name,
    backendName: 'js',
    kernelFunc: ({ inputs }) => {
      const info = inputs[0];
      const x = readInput(info);
      const dtype: DType = keepDtype ? info.dtype : 'float32';
      const out = makeArray(dtype, x.length);
      loop(x, out, x.length);
      return result(out, info.shape, dtype);
    },
  };
}

/**
 * erf(x) via the Chebyshev-fitted erfc of Numerical Recipes (3rd ed., §6.2.2, "erfcc"): fractional
 * error below 1.2e-7 everywhere, i.e. below float32 resolution.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** JS kernels of the unary element-wise ops (Gelu and Cast have attrs and live beside them). */
export const unaryKernels: KernelConfig[] = [
  // float neg/abs flip/clear the sign bit only, as torch (and IEEE 754 §5.5.1) do: NaN payloads,
  // signalling NaNs included, pass unchanged; int32 neg wraps like torch's.
  unaryKernel(KernelName.Neg, (x, o, n) => {
    if (x instanceof Float32Array) { const xb = bitsOf(x), ob = bitsOf(o); for (let i = 0; i < n; i++) ob[i] = xb[i] ^ 0x80000000; }
    else for (let i = 0; i < n; i++) o[i] = -x[i];
  }, true),
  unaryKernel(KernelName.Exp, (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]); }, false),
  unaryKernel(KernelName.Log, (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.log(x[i]); }, false),
  unaryKernel(KernelName.Sqrt, (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]); }, false),
  unaryKernel(KernelName.Abs, (x, o, n) => {
    if (x instanceof Float32Array) { const xb = bitsOf(x), ob = bitsOf(o); for (let i = 0; i < n; i++) ob[i] = xb[i] & 0x7fffffff; }
    else for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]);
  }, true),
  unaryKernel(KernelName.Tanh, (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]); }, false),
  unaryKernel(KernelName.Sigmoid, (x, o, n) => { for (let i = 0; i < n; i++) o[i] = 1 / (1 + Math.exp(-x[i])); }, false),
  // relu is torch's clamp_min(x, 0): x < 0 → 0, anything else (−0, NaN with its bits) kept as is.
  unaryKernel(KernelName.Relu, (x, o, n) => { const xb = bitsOf(x), ob = bitsOf(o); for (let i = 0; i < n; i++) ob[i] = x[i] < 0 ? 0 : xb[i]; }, true),
  unaryKernel(KernelName.Erf, (x, o, n) => { for (let i = 0; i < n; i++) o[i] = erf(x[i]); }, false),
  {
    kernelName: KernelName.Gelu,
    backendName: 'js',
    kernelFunc: ({ inputs, attrs }) => {
      const x = readInput(inputs[0]);
      const n = x.length;
      const o = new Float32Array(n);
      if (attrs.approximate === 'tanh') {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          o[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          o[i] = 0.5 * v * (1 + erf(v * SQRT1_2));
        }
      }
      return result(o, inputs[0].shape, 'float32');
    },
  },
  {
    kernelName: KernelName.Cast,
    backendName: 'js',
    kernelFunc: ({ inputs, attrs }) => {
      const x = readInput(inputs[0]);
      const dtype = attrs.dtype as DType;
      const o = makeArray(dtype, x.length);
      // Int32Array assignment truncates toward zero (NaN → 0), matching torch's float→int cast.
      o.set(x);
      return result(o, inputs[0].shape, dtype);
    },
  },
];
