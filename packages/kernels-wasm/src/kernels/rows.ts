import { KernelName } from '@gorch/tensor';
import { allFloat32, f32Ptr, output, registerWasmKernel } from './register';

const lastAxis = (axis: unknown, rank: number): boolean => {
  const a = Number(axis ?? -1);
  return (a < 0 ? a + rank : a) === rank - 1;
};

/** Softmax / LogSoftmax over the last axis and LayerNorm over trailing dims; other axes use JS. */
export function registerRowKernels(): void {
  registerWasmKernel(KernelName.Softmax, ({ inputs, attrs }, call) => {
    const x = inputs[0];
    if (!allFloat32(inputs) || x.shape.length === 0 || !lastAxis(attrs?.axis, x.shape.length)) return null;
    const n = x.shape[x.shape.length - 1];
    const px = f32Ptr(call, x);
    const { data, result } = output(call, [...x.shape]);
    if (data.size > 0) call.be.km.exports.gorch_softmax(data.size / n, n, px, data.ptr);
    return result;
  });
  registerWasmKernel(KernelName.LogSoftmax, ({ inputs, attrs }, call) => {
    const x = inputs[0];
    if (!allFloat32(inputs) || x.shape.length === 0 || !lastAxis(attrs?.axis, x.shape.length)) return null;
    const n = x.shape[x.shape.length - 1];
    const px = f32Ptr(call, x);
    const { data, result } = output(call, [...x.shape]);
    if (data.size > 0) {
      const scratch = call.be.allocate(n, 'float32');
      call.temps.push(scratch);
      call.be.km.exports.gorch_log_softmax(data.size / n, n, px, data.ptr, scratch.ptr);
    }
    return result;
  });
  registerWasmKernel(KernelName.LayerNorm, ({ inputs, attrs }, call) => {
    const x = inputs[0];
    if (!allFloat32(inputs)) return null;
    const normalized: number[] = attrs?.normalizedShape ?? [x.shape[x.shape.length - 1]];
    const n = normalized.reduce((p, q) => p * q, 1);
    let i = 1;
    const weight = attrs?.hasWeight ? inputs[i++] : undefined;
    const bias = attrs?.hasBias ? inputs[i++] : undefined;
    const px = f32Ptr(call, x);
    const pw = weight ? f32Ptr(call, weight) : 0;
    const pb = bias ? f32Ptr(call, bias) : 0;
    const { data, result } = output(call, [...x.shape]);
    if (data.size > 0 && n > 0) call.be.km.exports.gorch_layer_norm(data.size / n, n, px, pw, pb, Number(attrs?.eps ?? 1e-5), data.ptr);
    return result;
  });
}
