import { KernelName } from '@gorch/tensor';
import { WeightFormat } from '../wasm_exports';
import { layoutStorage, output, registerWasmKernel, storage } from './register';

/** IndexSelect along axis 0 of a float32 table is an embedding lookup (`wte[input_ids]`). */
export function registerGather(): void {
  registerWasmKernel(KernelName.IndexSelect, ({ inputs, attrs }, call) => {
    const [x, index] = inputs;
    const axis = Number(attrs?.axis ?? 0);
    if (x.dtype !== 'float32' || index.dtype !== 'int32' || index.shape.length !== 1 || x.shape.length === 0) return null;
    if ((axis < 0 ? axis + x.shape.length : axis) !== 0) return null;
    const V = x.shape[0];
    const D = x.shape.slice(1).reduce((p, q) => p * q, 1);
    const n = index.shape[0];
    // nothing to copy: the JS kernel still checks the indices (an empty row has no valid index 5)
    if (n === 0 || D === 0) return null;
    const table = layoutStorage(call, x);
    const idx = storage(call, index);
    const { data, result } = output(call, [n, ...x.shape.slice(1)]);
    if (data.size === 0) return result;
    const e = call.be.km.exports;
    // half-width tables (tied wte / lm_head in bf16) widen only the looked-up rows
    const fmt = WeightFormat[table.format as 'float32' | 'bfloat16' | 'float16'];
    const bad = table.panelsOf !== null
      ? e.gorch_embedding_panels(n, idx.ptr, V, D, fmt, table.ptr, data.ptr)
      : table.transposedOf !== null
      ? e.gorch_embedding_cols(n, idx.ptr, V, D, fmt, table.ptr, data.ptr)
      : table.format === 'float32'
        ? e.gorch_embedding(n, idx.ptr, V, D, table.ptr, data.ptr)
        : e.gorch_embedding_half(n, idx.ptr, V, D, fmt, table.ptr, data.ptr);
    if (bad >= 0) {
      call.be.disposeData(data); // the JS kernel raises the IndexError naming the index
      return null;
    }
    return result;
  });
}
