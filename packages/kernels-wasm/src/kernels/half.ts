import { GorchError } from '@gorch/tensor';
import { WeightFormat } from '../wasm_exports';
import { f32Ptr, registerWasmKernel, storage } from './register';

/** Kernel names of the storage conversions (wasm backend only). */
export const StorageKernel = { Repack: 'WasmRepackStorage', FromBits: 'WasmFromHalfBits' } as const;

export function registerHalfKernels(): void {
  registerWasmKernel(StorageKernel.Repack, ({ inputs, attrs }, call) => {
    const x = inputs[0];
    const format = attrs.format as 'float32' | 'bfloat16' | 'float16';
    const layout = attrs.layout as 'rows' | 'transposed' | 'panels';
    if (x.dtype !== 'float32') throw new GorchError('E_DTYPE', `repack: tensor must be float32, got ${x.dtype}`);
    if (layout !== 'rows' && x.shape.length !== 2) throw new GorchError('E_SHAPE', `repack: ${layout} storage needs a 2-D tensor, got shape ${JSON.stringify(x.shape)}`);
    const src = storage(call, x);
    const current = src.panelsOf !== null ? 'panels' : src.transposedOf !== null ? 'transposed' : 'rows';
    if (src.format === format && current === layout) return { dataId: src, shape: x.shape, dtype: 'float32' };
    const km = call.be.km;
    let p = f32Ptr(call, x); // logical row-major float32
    const matrix = layout === 'rows' ? null : ([x.shape[0], x.shape[1]] as const);
    const out = call.be.allocate(src.size, 'float32', format, layout === 'transposed' ? matrix : null, layout === 'panels' ? matrix : null);
    if (src.size === 0) return { dataId: out, shape: x.shape, dtype: 'float32' };
    if (layout === 'panels') {
      km.exports.gorch_panel_pack(WeightFormat[format], x.shape[0], x.shape[1], p, out.ptr);
      return { dataId: out, shape: x.shape, dtype: 'float32' };
    }
    if (layout === 'transposed') {
      const [R, C] = x.shape;
      const t = call.be.allocate(src.size, 'float32');
      call.temps.push(t);
      const prm = km.params([C, R, 1, C]); // t[c, r] = x[r, c]
      km.exports.gorch_copy_strided(2, prm, p, prm + 8, t.ptr);
      p = t.ptr;
    }
    if (format === 'bfloat16') km.exports.gorch_narrow_bf16(src.size, p, out.ptr);
    else if (format === 'float16') km.exports.gorch_narrow_f16(src.size, p, out.ptr);
    else km.u8().copyWithin(out.ptr, p, p + 4 * src.size);
    return { dataId: out, shape: x.shape, dtype: 'float32' };
  });
  registerWasmKernel(StorageKernel.FromBits, ({ attrs }, call) => {
    const bits = attrs.bits as Uint16Array;
    const shape = attrs.shape as number[];
    const out = call.be.allocate(bits.length, 'float32', attrs.format as 'bfloat16' | 'float16');
    if (bits.length > 0) call.be.km.u8().set(new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength), out.ptr);
    return { dataId: out, shape, dtype: 'float32' };
  });
}
