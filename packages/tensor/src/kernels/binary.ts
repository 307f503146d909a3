import { makeArray, promoteTypes, type DType, type TypedArray } from '../dtype';
import { readInput, type KernelConfig, type KernelFunc } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { broadcastShapes, shapesEqual, sizeOf } from '../shape';
import { broadcastIndex, isSuffix, result } from './util';

type Fn = (x: number, y: number) => number;

/**
 * Element-wise binary kernel with NumPy broadcasting. Fast paths: same shape, scalar operand, operand
 * equal to the trailing dims of the output (bias-style); otherwise a precomputed broadcast index map.
 * `loops` gives hand-written same-shape/scalar loops for the hottest ops (a shared closure call per
 * element would be megamorphic in V8).
 */
function binaryKernel(name: string, fn: Fn, outDtype: (a: DType, b: DType) => DType, fast?: FastLoops): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs }) => {
    const [ai, bi] = inputs;
    const a = readInput(ai);
    const b = readInput(bi);
    const shape = shapesEqual(ai.shape, bi.shape) ? ai.shape : broadcastShapes(ai.shape, bi.shape, name);
    const dtype = outDtype(ai.dtype, bi.dtype);
    const n = sizeOf(shape);
    const out = makeArray(dtype, n);
    if (a.length === n && b.length === n) {
      if (fast) fast.same(a, b, out, n);
      else for (let i = 0; i < n; i++) out[i] = fn(a[i], b[i]);
    } else if (b.length === 1 && a.length === n) {
      const s = b[0];
      if (fast) fast.scalarB(a, s, out, n);
      else for (let i = 0; i < n; i++) out[i] = fn(a[i], s);
    } else if (a.length === 1 && b.length === n) {
      const s = a[0];
      if (fast) fast.scalarA(s, b, out, n);
      else for (let i = 0; i < n; i++) out[i] = fn(s, b[i]);
    } else if (a.length === n && b.length > 0 && isSuffix(bi.shape, shape)) {
      const m = b.length;
      if (fast) fast.suffixB(a, b, out, n, m);
      else for (let o = 0; o < n; o += m) for (let j = 0; j < m; j++) out[o + j] = fn(a[o + j], b[j]);
    } else if (b.length === n && a.length > 0 && isSuffix(ai.shape, shape)) {
      const m = a.length;
      for (let o = 0; o < n; o += m) for (let j = 0; j < m; j++) out[o + j] = fn(a[j], b[o + j]);
    } else if (n > 0) {
      const ia = broadcastIndex(ai.shape, shape);
      const ib = broadcastIndex(bi.shape, shape);
      for (let i = 0; i < n; i++) out[i] = fn(a[ia[i]], b[ib[i]]);
    }
    return result(out, shape, dtype);
  };
  return { kernelName: name, backendName: 'js', kernelFunc };
}

interface FastLoops {
  same(a: TypedArray, b: TypedArray, out: TypedArray, n: number): void;
  scalarB(a: TypedArray, s: number, out: TypedArray, n: number): void;
  scalarA(s: number, b: TypedArray, out: TypedArray, n: number): void;
  /** b repeats every m elements (bias-style broadcast over rows). */
  suffixB(a: TypedArray, b: TypedArray, out: TypedArray, n: number, m: number): void;
}

const addLoops: FastLoops = {
  same: (a, b, out, n) => { for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; },
  scalarB: (a, s, out, n) => { for (let i = 0; i < n; i++) out[i] = a[i] + s; },
  scalarA: (s, b, out, n) => { for (let i = 0; i < n; i++) out[i] = s + b[i]; },
  suffixB: (a, b, out, n, m) => { for (let o = 0; o < n; o += m) for (let j = 0; j < m; j++) out[o + j] = a[o + j] + b[j]; },
};
const subLoops: FastLoops = {
  same: (a, b, out, n) => { for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; },
  scalarB: (a, s, out, n) => { for (let i = 0; i < n; i++) out[i] = a[i] - s; },
  scalarA: (s, b, out, n) => { for (let i = 0; i < n; i++) out[i] = s - b[i]; },
  suffixB: (a, b, out, n, m) => { for (let o = 0; o < n; o += m) for (let j = 0; j < m; j++) out[o + j] = a[o + j] - b[j]; },
};
const mulLoops: FastLoops = {
  same: (a, b, out, n) => { for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; },
  scalarB: (a, s, out, n) => { for (let i = 0; i < n; i++) out[i] = a[i] * s; },
  scalarA: (s, b, out, n) => { for (let i = 0; i < n; i++) out[i] = s * b[i]; },
  suffixB: (a, b, out, n, m) => { for (let o = 0; o < n; o += m) for (let j = 0; j < m; j++) out[o + j] = a[o + j] * b[j]; },
};
const divLoops: FastLoops = {
  same: (a, b, out, n) => { for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; },
  scalarB: (a, s, out, n) => { for (let i = 0; i < n; i++) out[i] = a[i] / s; },
  scalarA: (s, b, out, n) => { for (let i = 0; i < n; i++) out[i] = s / b[i]; },
  suffixB: (a, b, out, n, m) => { for (let o = 0; o < n; o += m) for (let j = 0; j < m; j++) out[o + j] = a[o + j] / b[j]; },
};

const promote = promoteTypes;
const toFloat = (): DType => 'float32';
const toInt = (): DType => 'int32';


/** JS kernels of the binary element-wise ops. */
export const binaryKernels: KernelConfig[] = [
  binaryKernel(KernelName.Add, (x, y) => x + y, promote, addLoops),
  binaryKernel(KernelName.Sub, (x, y) => x - y, promote, subLoops),
  binaryKernel(KernelName.Mul, (x, y) => x * y, promote, mulLoops),
  binaryKernel(KernelName.Div, (x, y) => x / y, toFloat, divLoops),
  binaryKernel(KernelName.Pow, Math.pow, promote),
  // torch.maximum / minimum as its scalar loop: NaN if either is NaN (0x7fc00000), else `a` unless `b`
  // is strictly beyond it, so (-0, +0) gives -0 and (+0, -0) +0. (torch's vectorized loop, which
  // handles all but the tail of longer inputs, gives 0xffffffff and `b` on ties: position-dependent.)
  binaryKernel(KernelName.Maximum, (x, y) => (x !== x || y !== y ? NaN : y > x ? y : x), promote),
  binaryKernel(KernelName.Minimum, (x, y) => (x !== x || y !== y ? NaN : y < x ? y : x), promote),
  binaryKernel(KernelName.Equal, (x, y) => (x === y ? 1 : 0), toInt),
  binaryKernel(KernelName.Greater, (x, y) => (x > y ? 1 : 0), toInt),
  binaryKernel(KernelName.Less, (x, y) => (x < y ? 1 : 0), toInt),
  binaryKernel(KernelName.GreaterEqual, (x, y) => (x >= y ? 1 : 0), toInt),
  binaryKernel(KernelName.LessEqual, (x, y) => (x <= y ? 1 : 0), toInt),
];
