import { KernelName } from '@gorch/tensor';
import { allFloat32, f32Ptr, output, registerWasmKernel } from './register';

/**
 * ScaledDotProductAttention through `gorch_attention_decode` (src/c/attention.c), which attends one
 * query row per head to a contiguous run of keys. A query's visible keys are always one run [lo, hi]
 * (end-aligned causal mask and local window), so the kernel gets k/v pointers offset to lo and T = hi −
 * lo + 1. A decoding step (Tq = 1) is one call over all heads and batches (they share the run); with
 * Tq > 1 every row is its own call. Needs Dv = D (the C kernel writes D values per row), else JS.
 */
export function registerAttentionKernel(): void {
  registerWasmKernel(KernelName.ScaledDotProductAttention, ({ inputs, attrs }, call) => {
    const [q, k, v] = inputs;
    const r = q.shape.length;
    const Tq = q.shape[r - 2], D = q.shape[r - 1], Tk = k.shape[r - 2];
    if (!allFloat32(inputs) || v.shape[r - 1] !== D) return null;
    const { scale, causal, window } = attrs as { scale: number; causal: boolean; window: number | null };
    const batch = q.shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const { data, result } = output(call, [...q.shape]);
    if (data.size === 0) return result;
    const km = call.be.km;
    // rows that see no key (only possible with Tk = 0) stay zero, as in the JS kernel
    km.f32().fill(0, data.ptr >>> 2, (data.ptr >>> 2) + data.size);
    const pq = f32Ptr(call, q), pk = f32Ptr(call, k), pv = f32Ptr(call, v);
    const scores = call.be.allocate(Math.max(Tk, 1), 'float32');
    call.temps.push(scores);
    const attend = km.exports.gorch_attention_decode;
    for (let i = 0; i < Tq; i++) {
      const pos = Tk - Tq + i;
      const hi = causal ? Math.min(pos, Tk - 1) : Tk - 1;
      const lo = window === null ? 0 : Math.max(0, pos - window + 1);
      const n = hi - lo + 1;
      if (n <= 0) continue;
      if (Tq === 1) {
        attend(batch, n, D, scale, pq, pk + 4 * lo * D, pv + 4 * lo * D, Tk * D, D, data.ptr, scores.ptr);
        continue;
      }
      for (let b = 0; b < batch; b++) {
        const row = 4 * (b * Tq + i) * D, kv = 4 * (b * Tk + lo) * D;
        attend(1, n, D, scale, pq + row, pk + kv, pv + kv, 0, D, data.ptr + row, scores.ptr);
      }
    }
    return result;
  });
}
