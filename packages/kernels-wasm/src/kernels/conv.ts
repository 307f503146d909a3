import { KernelName } from '@gorch/tensor';
import { allFloat32, f32Ptr, output, registerWasmKernel } from './register';

type Pair = [number, number];
const windowOut = (size: number, k: number, s: number, p: number, d: number): number => Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;

/** Conv2D (im2col + gemm, `gorch_conv2d`) and MaxPool2D (`gorch_max_pool2d`) from src/c/conv.c; float32 only. */
export function registerConvKernels(): void {
  registerWasmKernel(KernelName.Conv2D, ({ inputs, attrs }, call) => {
    const [x, w, bias] = inputs;
    if (!allFloat32(inputs)) return null;
    const [N, C, H, W] = x.shape;
    const [O, Cg, kh, kw] = w.shape;
    const { stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw], groups } = attrs as { stride: Pair; padding: Pair; dilation: Pair; groups: number };
    const oh = windowOut(H, kh, sh, ph, dh), ow = windowOut(W, kw, sw, pw, dw);
    const { data, result } = output(call, [N, O, oh, ow]);
    if (data.size === 0) return result;
    const px = f32Ptr(call, x), pw_ = f32Ptr(call, w), pb = bias ? f32Ptr(call, bias) : 0;
    const col = call.be.allocate(Cg * kh * kw * oh * ow, 'float32');
    call.temps.push(col);
    const p = call.be.km.params([N, C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, groups]);
    call.be.km.exports.gorch_conv2d(p, px, pw_, pb, data.ptr, col.ptr);
    return result;
  });

  registerWasmKernel(KernelName.MaxPool2D, ({ inputs, attrs }, call) => {
    const x = inputs[0];
    if (!allFloat32(inputs)) return null;
    const [N, C, H, W] = x.shape;
    const { kernelSize: [kh, kw], stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw] } = attrs as { kernelSize: Pair; stride: Pair; padding: Pair; dilation: Pair };
    const { data, result } = output(call, [N, C, windowOut(H, kh, sh, ph, dh), windowOut(W, kw, sw, pw, dw)]);
    if (data.size === 0) return result;
    const px = f32Ptr(call, x);
    call.be.km.exports.gorch_max_pool2d(call.be.km.params([N, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw]), px, data.ptr);
    return result;
  });
}
