import { bitsOf, makeArray, promoteTypes } from '../dtype';
import { readInput, type KernelConfig, type TensorInfo } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { broadcastShapes, sizeOf } from '../shape';
import { broadcastIndex, isSuffix, result } from './util';

/** `Where`: [cond, a, b] → cond ≠ 0 ? a : b, all three broadcast together. */
export const whereKernel: KernelConfig = {
  kernelName: KernelName.Where,
  backendName: 'js',
  kernelFunc: ({ inputs }) => {
    const [ci, ai, bi] = inputs;
    const shape = broadcastShapes(broadcastShapes(ci.shape, ai.shape, 'where'), bi.shape, 'where');
    const dtype = promoteTypes(ai.dtype, bi.dtype);
    const n = sizeOf(shape);
    const c = readInput(ci);
    const values = makeArray(dtype, n);
    // select bit patterns ({@link bitsOf}); an int32 operand of a float32 result is converted first
    const operand = (t: TensorInfo): Int32Array => bitsOf(t.dtype === dtype ? readInput(t) : Float32Array.from(readInput(t)));
    const a = operand(ai), b = operand(bi), out = bitsOf(values);
    if (c.length === n && a.length === n && b.length === n) {
      for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? a[i] : b[i];
    } else if (a.length === 1 && b.length === n && c.length > 0 && isSuffix(ci.shape, shape)) {
      // maskedFill of a causal mask [T,T] over scores [B,H,T,T]: the mask repeats every c.length elements
      const fill = a[0];
      const m = c.length;
      for (let o = 0; o < n; o += m) for (let j = 0; j < m; j++) out[o + j] = c[j] !== 0 ? fill : b[o + j];
    } else if (n > 0) {
      const ic = broadcastIndex(ci.shape, shape);
      const ia = broadcastIndex(ai.shape, shape);
      const ib = broadcastIndex(bi.shape, shape);
      for (let i = 0; i < n; i++) out[i] = c[ic[i]] !== 0 ? a[ia[i]] : b[ib[i]];
    }
    return result(values, shape, dtype);
  },
};
