import { GorchError } from '@gorch/tensor';
import { WeightFormat } from '../wasm_exports';
import { registerWasmKernel, storage } from './register';

/** Kernel names of the half-width storage conversions (wasm backend only). */
export const HalfKernel = { Narrow: 'WasmNarrowStorage', FromBits: 'WasmFromHalfBits' } as const;

export function registerHalfKernels(): void {
  registerWasmKernel(HalfKernel.Narrow, ({ inputs, attrs }, call) => {
    const x = inputs[0];
    const format = attrs.format as 'bfloat16' | 'float16';
    if (x.dtype !== 'float32') throw new GorchError('E_DTYPE', `toHalfStorage: tensor must be float32, got ${x.dtype}`);
    const src = storage(call, x);
    if (src.format === format) return { dataId: src, shape: x.shape, dtype: 'float32' };
    const srcPtr = src.format === 'float32' ? src.ptr : 0;
    const out = call.be.allocate(src.size, 'float32', format);
    if (src.size > 0) {
      let p = srcPtr;
      if (p === 0) {
        const t = call.be.allocate(src.size, 'float32');
        call.temps.push(t);
        call.be.km.exports.gorch_widen(WeightFormat[src.format as 'bfloat16' | 'float16'], src.size, src.ptr, t.ptr);
        p = t.ptr;
      }
      if (format === 'bfloat16') call.be.km.exports.gorch_narrow_bf16(src.size, p, out.ptr);
      else call.be.km.exports.gorch_narrow_f16(src.size, p, out.ptr);
    }
    return { dataId: out, shape: x.shape, dtype: 'float32' };
  });
  registerWasmKernel(HalfKernel.FromBits, ({ attrs }, call) => {
    const bits = attrs.bits as Uint16Array;
    const shape = attrs.shape as number[];
    const out = call.be.allocate(bits.length, 'float32', attrs.format as 'bfloat16' | 'float16');
    if (bits.length > 0) call.be.km.u8().set(new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength), out.ptr);
    return { dataId: out, shape, dtype: 'float32' };
  });
}
