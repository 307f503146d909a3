import { makeArray, promoteTypes } from '../dtype';
import { readInput, type KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { broadcastShapes, sizeOf } from '../shape';
import { broadcastIndex, result } from './util';

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
    const a = readInput(ai);
    const b = readInput(bi);
    const out = makeArray(dtype, n);
    if (c.length === n && a.length === n && b.length === n) {
      for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? a[i] : b[i];
    } else if (n > 0) {
      const ic = broadcastIndex(ci.shape, shape);
      const ia = broadcastIndex(ai.shape, shape);
      const ib = broadcastIndex(bi.shape, shape);
      for (let i = 0; i < n; i++) out[i] = c[ic[i]] !== 0 ? a[ia[i]] : b[ib[i]];
    }
    return result(out, shape, dtype);
  },
};
