import { KernelName, type KernelOutput, type TensorInfo } from '@gorch/tensor';
import { plain, registerWasmKernel, storage, type WasmCall } from './register';

const prod = (s: readonly number[]): number => s.reduce((p, q) => p * q, 1);

function contiguousStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) { st[d] = s; s *= shape[d]; }
  return st;
}

/** Fresh storage of x's dtype for `shape`. Half-width inputs are declined (JS widens them). */
function out(call: WasmCall, x: TensorInfo, shape: number[]) {
  const data = call.be.allocate(prod(shape), x.dtype);
  const result: KernelOutput = { dataId: data, shape, dtype: x.dtype };
  return { data, result };
}

/** out = x read with `strides` over `shape` (4-byte elements, float32 or int32). */
function strided(call: WasmCall, x: TensorInfo, shape: number[], strides: number[], offset = 0): KernelOutput | null {
  if (shape.length > 8) return null;
  const { data, result } = out(call, x, shape);
  if (data.size === 0) return result;
  const dims = shape.length === 0 ? [1] : shape;
  const st = shape.length === 0 ? [0] : strides;
  const km = call.be.km;
  const p = km.params([...dims, ...st]);
  km.exports.gorch_copy_strided(dims.length, p, storage(call, x).ptr + 4 * offset, p + 4 * dims.length, data.ptr);
  return result;
}

/** Data-movement kernels in the heap (no round trip through JS arrays): Transpose, BroadcastTo, Clone, Slice, Concat. */
export function registerCopyKernels(): void {
  registerWasmKernel(KernelName.Transpose, ({ inputs, attrs }, call) => {
    const x = inputs[0];
    if (!plain(call, x)) return null;
    const perm: number[] = attrs.perm;
    const cs = contiguousStrides(x.shape);
    return strided(call, x, perm.map((p) => x.shape[p]), perm.map((p) => cs[p]));
  });
  registerWasmKernel(KernelName.BroadcastTo, ({ inputs, attrs }, call) => {
    const x = inputs[0];
    if (!plain(call, x)) return null;
    const shape: number[] = [...attrs.shape];
    const cs = contiguousStrides(x.shape);
    const st = shape.map((_, d) => {
      const id = d - (shape.length - x.shape.length);
      return id >= 0 && x.shape[id] !== 1 ? cs[id] : 0;
    });
    return strided(call, x, shape, st);
  });
  registerWasmKernel(KernelName.Clone, ({ inputs }, call) => {
    const x = inputs[0];
    if (!plain(call, x)) return null;
    const { data, result } = out(call, x, [...x.shape]);
    if (data.size > 0) call.be.km.u8().copyWithin(data.ptr, storage(call, x).ptr, storage(call, x).ptr + 4 * data.size);
    return result;
  });
  registerWasmKernel(KernelName.Slice, ({ inputs, attrs }, call) => {
    const x = inputs[0];
    if (!plain(call, x)) return null;
    const { axis, start, end } = attrs as { axis: number; start: number; end: number };
    const shape = [...x.shape];
    shape[axis] = end - start;
    const cs = contiguousStrides(x.shape);
    return strided(call, x, shape, cs, start * cs[axis]);
  });
  registerWasmKernel(KernelName.Concat, ({ inputs, attrs }, call) => {
    if (!inputs.every((t) => plain(call, t) && t.dtype === inputs[0].dtype)) return null;
    const axis: number = attrs.axis;
    const shape = [...inputs[0].shape];
    shape[axis] = inputs.reduce((s, t) => s + t.shape[axis], 0);
    const { data, result } = out(call, inputs[0], shape);
    if (data.size === 0) return result;
    const outer = prod(shape.slice(0, axis)), inner = prod(shape.slice(axis + 1));
    const rowOut = shape[axis] * inner * 4;
    const heap = call.be.km.u8();
    let off = 0;
    for (const t of inputs) {
      const row = t.shape[axis] * inner * 4;
      const src = storage(call, t).ptr;
      for (let o = 0; o < outer; o++) heap.copyWithin(data.ptr + o * rowOut + off, src + o * row, src + o * row + row);
      off += row;
    }
    return result;
  });
}
