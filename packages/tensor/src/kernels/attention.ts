import { readInput, type KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { sizeOf } from '../shape';
import { gemmNN, gemmNT, gemvRow } from './gemm';
import { result } from './util';

/** Attributes of the ScaledDotProductAttention kernel. */
export interface AttentionAttrs {
  /** Multiplies q·k before the softmax. */
  scale: number;
  /** Hide keys after the query's position (positions aligned to the end: query i is at Tk − Tq + i). */
  causal: boolean;
  /** Local attention: a query at position p sees keys j > p − window only. */
  window: number | null;
}

/**
 * Keys [lo, hi] that query row `i` of `Tq` may see among `Tk` keys (hi < lo: none). The queries are
 * the last Tq positions of the Tk keys (a KV cache's new tokens), so row i sits at position Tk − Tq + i.
 */
export function visibleKeys(i: number, Tq: number, Tk: number, causal: boolean, window: number | null): [number, number] {
  const pos = Tk - Tq + i;
  const hi = causal ? Math.min(pos, Tk - 1) : Tk - 1;
  const lo = window === null ? 0 : Math.max(0, pos - window + 1);
  return [lo, hi];
}

/** s[off + lo..hi] ← softmax(scale · s) (max-subtracted), zero outside [lo, hi] within [off, off + n). */
function softmaxRow(s: Float32Array, off: number, n: number, lo: number, hi: number, scale: number): void {
  let m = -Infinity;
  for (let j = lo; j <= hi; j++) {
    const v = s[off + j] * scale;
    s[off + j] = v;
    if (v > m || v !== v) m = v;
  }
  let sum = 0;
  for (let j = lo; j <= hi; j++) {
    const e = Math.exp(s[off + j] - m);
    s[off + j] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let j = lo; j <= hi; j++) s[off + j] *= inv;
  if (lo > 0) s.fill(0, off, off + lo);
  if (hi + 1 < n) s.fill(0, off + hi + 1, off + n);
}

/**
 * `ScaledDotProductAttention` [q (..., Tq, D), k (..., Tk, D), v (..., Tk, Dv)] {scale, causal, window}
 * → (..., Tq, Dv) = softmax(scale · q kᵀ + mask) v (Vaswani et al. 2017, eq. 1), where the mask hides
 * keys outside {@link visibleKeys}. Leading dims of q, k and v are equal (no broadcasting). A single
 * query row (decoding) only touches its visible keys; several rows use the blocked gemms over all keys
 * and zero the hidden probabilities.
 */
export const attentionKernel: KernelConfig = {
  kernelName: KernelName.ScaledDotProductAttention,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const [qi, ki, vi] = inputs;
    const { scale, causal, window } = attrs as AttentionAttrs;
    const r = qi.shape.length;
    const Tq = qi.shape[r - 2], D = qi.shape[r - 1];
    const Tk = ki.shape[r - 2], Dv = vi.shape[r - 1];
    const batch = sizeOf(qi.shape.slice(0, -2));
    const q = readInput(qi) as Float32Array, k = readInput(ki) as Float32Array, v = readInput(vi) as Float32Array;
    const out = new Float32Array(batch * Tq * Dv);
    const s = new Float32Array(Tq * Tk);
    for (let b = 0; b < batch; b++) {
      const qOff = b * Tq * D, kOff = b * Tk * D, vOff = b * Tk * Dv, oOff = b * Tq * Dv;
      if (Tq === 1) {
        const [lo, hi] = visibleKeys(0, 1, Tk, causal, window);
        const n = hi - lo + 1;
        if (n <= 0) continue;
        gemvRow(q, qOff, k, kOff + lo * D, s, 0, D, n, null);
        softmaxRow(s, 0, n, 0, n - 1, scale);
        gemmNN(s, 0, v, vOff + lo * Dv, out, oOff, 1, n, Dv);
        continue;
      }
      gemmNT(q, qOff, k, kOff, s, 0, Tq, D, Tk, null);
      for (let i = 0; i < Tq; i++) {
        const [lo, hi] = visibleKeys(i, Tq, Tk, causal, window);
        if (hi < lo) s.fill(0, i * Tk, (i + 1) * Tk);
        else softmaxRow(s, i * Tk, Tk, lo, hi, scale);
      }
      gemmNN(s, 0, v, vOff, out, oOff, Tq, Tk, Dv);
    }
    return result(out, [...qi.shape.slice(0, -1), Dv], 'float32');
  },
};
