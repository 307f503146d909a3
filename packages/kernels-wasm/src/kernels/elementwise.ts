import { broadcastShapes, KernelName } from '@gorch/tensor';
import { BinaryOp, UnaryOp } from '../wasm_exports';
import { allFloat32, f32Ptr, output, registerWasmKernel } from './register';

/** Element strides of an operand of `shape` broadcast to `out` (0 on broadcast axes). */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const r = out.length;
  const strides = new Array<number>(r).fill(0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const od = d + r - shape.length;
    strides[od] = shape[d] === 1 ? 0 : s;
    s *= shape[d];
  }
  return strides;
}

const BINARY: [string, number][] = [
  [KernelName.Add, BinaryOp.add],
  [KernelName.Sub, BinaryOp.sub],
  [KernelName.Mul, BinaryOp.mul],
  [KernelName.Div, BinaryOp.div],
  [KernelName.Maximum, BinaryOp.maximum],
  [KernelName.Minimum, BinaryOp.minimum],
];

const UNARY: [string, number][] = [
  [KernelName.Exp, UnaryOp.exp],
  [KernelName.Tanh, UnaryOp.tanh],
  [KernelName.Sigmoid, UnaryOp.sigmoid],
  [KernelName.Relu, UnaryOp.relu],
  [KernelName.Neg, UnaryOp.neg],
  [KernelName.Abs, UnaryOp.abs],
  [KernelName.Sqrt, UnaryOp.sqrt],
  [KernelName.Erf, UnaryOp.erf],
];

/** Registers the binary (broadcasting) and unary float32 kernels; int32 goes to the JS kernels. */
export function registerElementwise(): void {
  for (const [name, op] of BINARY) {
    registerWasmKernel(name, ({ inputs }, call) => {
      const [a, b] = inputs;
      if (!allFloat32(inputs)) return null;
      const shape = broadcastShapes(a.shape, b.shape, name) as number[];
      if (shape.length > 8) return null;
      const pa = f32Ptr(call, a), pb = f32Ptr(call, b);
      const { data, result } = output(call, [...shape]);
      if (data.size === 0) return result;
      const dims = shape.length === 0 ? [1] : shape;
      const sa = shape.length === 0 ? [0] : broadcastStrides(a.shape, shape);
      const sb = shape.length === 0 ? [0] : broadcastStrides(b.shape, shape);
      const km = call.be.km;
      const p = km.params([...dims, ...sa, ...sb]);
      const nd = dims.length;
      km.exports.gorch_binary(op, nd, p, pa, p + 4 * nd, pb, p + 8 * nd, data.ptr);
      return result;
    });
  }
  for (const [name, op] of UNARY) {
    registerWasmKernel(name, ({ inputs }, call) => unary(inputs[0].dtype === 'float32' ? op : -1, inputs, call));
  }
  registerWasmKernel(KernelName.Gelu, ({ inputs, attrs }, call) =>
    unary(inputs[0].dtype !== 'float32' ? -1 : attrs?.approximate === 'tanh' ? UnaryOp.geluTanh : UnaryOp.gelu, inputs, call),
  );
}

function unary(op: number, inputs: Parameters<typeof f32Ptr>[1][], call: Parameters<typeof f32Ptr>[0]) {
  if (op < 0) return null;
  const x = inputs[0];
  const px = f32Ptr(call, x);
  const { data, result } = output(call, [...x.shape]);
  if (data.size > 0) call.be.km.exports.gorch_unary(op, data.size, px, data.ptr);
  return result;
}
