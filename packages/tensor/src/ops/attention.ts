import { engine } from '../engine';
import { DtypeError, GorchError, ShapeError } from '../errors';
import { visibleKeys } from '../kernels/attention';
import { KernelName } from '../kernel_names';
import { fmtShape } from '../shape';
import type { Tensor } from '../tensor';
import { assertTensor } from './util';

/** Options of {@link scaledDotProductAttention}. */
export interface AttentionOptions {
  /** Hide keys after each query's position (default false). */
  causal?: boolean;
  /** Multiplies q·k before the softmax; default 1/√D (torch's default). GPT-Neo uses 1. */
  scale?: number;
  /** Local attention (GPT-Neo local layers): a query at position p sees only keys j with j > p − window. */
  window?: number | null;
}

/**
 * softmax(scale · q kᵀ + mask) v in one kernel (Vaswani et al. 2017, eq. 1; torch.nn.functional.
 * scaled_dot_product_attention without dropout or attn_mask). q [..., Tq, D], k [..., Tk, D],
 * v [..., Tk, Dv], equal leading dims (e.g. [B, nHead]), float32 → [..., Tq, Dv].
 *
 * Positions are aligned to the end: query i is at position Tk − Tq + i, so with a KV cache the new
 * queries sit after the cached keys (Hugging Face / FlashAttention-2 "bottom-right" causal; the same as
 * torch's `is_causal` when Tq = Tk). `causal` hides keys after the query's position; `window` hides keys
 * at positions ≤ position − window. Hidden keys get probability exactly 0, as Hugging Face's
 * finfo.min fill does. Differentiable (the gradient recomputes the probabilities).
 *
 * Throws ShapeError for ranks < 2 or mismatched dims, or `causal` with Tq > Tk (a query would see no
 * key); DtypeError for non-float32 inputs; `E_ARG` for a non-finite scale or a window that is not a
 * positive integer.
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): Tensor {
  const op = 'scaledDotProductAttention';
  assertTensor(q, op, 'q');
  assertTensor(k, op, 'k');
  assertTensor(v, op, 'v');
  for (const [name, t] of [['q', q], ['k', k], ['v', v]] as const) {
    if (t.dtype !== 'float32') throw new DtypeError(`${op}: ${name} must be float32, got ${t.dtype}`);
  }
  const r = q.ndim;
  const lead = (t: Tensor): number[] => t.shape.slice(0, -2);
  const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
  if (r < 2 || k.ndim !== r || v.ndim !== r || !same(lead(q), lead(k)) || !same(lead(q), lead(v)) || k.shape[r - 1] !== q.shape[r - 1] || v.shape[r - 2] !== k.shape[r - 2]) {
    throw new ShapeError(`${op}: need q [..., Tq, D], k [..., Tk, D], v [..., Tk, Dv] with equal leading dims, got q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)}, v ${fmtShape(v.shape)}`);
  }
  const causal = options.causal ?? false;
  const scale = options.scale ?? 1 / Math.sqrt(q.shape[r - 1]);
  const window = options.window ?? null;
  if (!Number.isFinite(scale)) throw new GorchError('E_ARG', `${op}: scale must be a finite number, got ${scale}`);
  if (window !== null && !(Number.isInteger(window) && window > 0)) throw new GorchError('E_ARG', `${op}: window must be a positive integer or null, got ${window}`);
  if (causal && q.shape[r - 2] > k.shape[r - 2]) {
    throw new ShapeError(`${op}: causal attention needs Tq ≤ Tk (queries are the last Tq positions), got q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)}`);
  }
  return engine.runKernel(KernelName.ScaledDotProductAttention, [q, k, v], { scale, causal, window });
}

/**
 * The mask {@link scaledDotProductAttention} applies, as an int32 [Tq, Tk] tensor: 1 where query i
 * (at position Tk − Tq + i) must not see key j. For composing attention by hand (e.g. with dropout on
 * the probabilities) and for its gradient. Throws `E_ARG` for negative sizes or a bad window.
 */
export function attentionMask(Tq: number, Tk: number, options: { causal?: boolean; window?: number | null } = {}): Tensor {
  if (!(Number.isInteger(Tq) && Number.isInteger(Tk) && Tq >= 0 && Tk >= 0)) throw new GorchError('E_ARG', `attentionMask: Tq and Tk must be non-negative integers, got ${Tq}, ${Tk}`);
  const window = options.window ?? null;
  if (window !== null && !(Number.isInteger(window) && window > 0)) throw new GorchError('E_ARG', `attentionMask: window must be a positive integer or null, got ${window}`);
  const m = new Int32Array(Tq * Tk);
  for (let i = 0; i < Tq; i++) {
    const [lo, hi] = visibleKeys(i, Tq, Tk, options.causal ?? false, window);
    for (let j = 0; j < Tk; j++) if (j < lo || j > hi) m[i * Tk + j] = 1;
  }
  return engine.makeTensor(m, [Tq, Tk], 'int32');
}
