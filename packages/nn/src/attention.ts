import { attentionMask, matmul, maskedFill, permute, scaledDotProductAttention, slice, softmax, transpose, type Tensor } from '@gorch/tensor';
import { Dropout } from './dropout';
import { ArgumentError } from './errors';
import type { InitOptions } from './init';
import type { KVCache } from './kv_cache';
import { Linear, checkSize } from './linear';
import { Module } from './module';

/** Configuration of {@link MultiHeadAttention}. */
export interface AttentionConfig {
  /** Model width C (Hugging Face `n_embd`). */
  nEmbd: number;
  /** Number of heads; must divide nEmbd. */
  nHead: number;
  /** Hide future positions (default true). */
  causal?: boolean;
  /** Divide scores by √headDim (GPT-2: true, the default; GPT-Neo: false). */
  scaleAttnWeights?: boolean;
  /** Bias on the fused q/k/v projection (GPT-2: true, the default; GPT-Neo: false). */
  qkvBias?: boolean;
  /** GPT-Neo "local" attention: a query sees only the last `windowSize` positions (itself included). */
  windowSize?: number | null;
  /** Dropout on the attention probabilities (HF `attn_pdrop`), default 0. */
  attnPdrop?: number;
  /** Dropout on the output projection (HF `resid_pdrop`), default 0. */
  residPdrop?: number;
}

/** Per-call options of {@link MultiHeadAttention.forward}. */
export interface AttentionForwardOptions {
  /** A cache: this layer's new keys/values are appended, attention covers cached + new positions. */
  kvCache?: KVCache;
  /** Which layer of `kvCache` is this one's (default 0). */
  layer?: number;
}

// Hugging Face fills masked scores with torch.finfo(float32).min rather than -inf.
const MASKED = -3.4028234663852886e38;

/**
 * Multi-head self-attention in the GPT-2 layout (Vaswani et al. 2017; HF GPT2Attention): a fused
 * projection `c_attn` [3C, C] gives q | k | v, heads of size D = C / nHead attend with
 * softmax(q kᵀ · s + mask) v (s = 1/√D, or 1 when `scaleAttnWeights` is false), and `c_proj` [C, C]
 * mixes the heads. Input [T, C] or [B, T, C] float32 → same shape. Causal by default; with
 * `windowSize` a query at position i sees keys j with i - windowSize < j ≤ i (GPT-Neo local layers).
 * Without active attention dropout the core is one `scaledDotProductAttention` kernel (fused by backends
 * that have it); with dropout it is composed, since dropout needs the probabilities.
 */
export class MultiHeadAttention extends Module {
  readonly nEmbd: number;
  readonly nHead: number;
  readonly headDim: number;
  readonly causal: boolean;
  readonly scale: number;
  readonly windowSize: number | null;
  readonly c_attn: Linear;
  readonly c_proj: Linear;
  readonly attnDropout: Dropout;
  readonly residDropout: Dropout;

  constructor(config: AttentionConfig, options: InitOptions = {}) {
    super();
    checkSize(config.nEmbd, 'nEmbd');
    checkSize(config.nHead, 'nHead');
    if (config.nEmbd % config.nHead !== 0) throw new ArgumentError(`MultiHeadAttention: nEmbd ${config.nEmbd} is not divisible by nHead ${config.nHead}`);
    if (config.windowSize != null) checkSize(config.windowSize, 'windowSize');
    this.nEmbd = config.nEmbd;
    this.nHead = config.nHead;
    this.headDim = config.nEmbd / config.nHead;
    this.causal = config.causal ?? true;
    this.scale = (config.scaleAttnWeights ?? true) ? 1 / Math.sqrt(this.headDim) : 1;
    this.windowSize = config.windowSize ?? null;
    this.c_attn = this.registerModule('c_attn', new Linear(this.nEmbd, 3 * this.nEmbd, { ...options, bias: config.qkvBias ?? true }));
    this.c_proj = this.registerModule('c_proj', new Linear(this.nEmbd, this.nEmbd, options));
    this.attnDropout = this.registerModule('attn_dropout', new Dropout(config.attnPdrop ?? 0, options));
    this.residDropout = this.registerModule('resid_dropout', new Dropout(config.residPdrop ?? 0, options));
  }

  /**
   * x [T, C] or [B, T, C] → same shape. With `options.kvCache` the new keys and values are appended to
   * layer `options.layer` of it and the queries sit at positions Tcache ... Tcache + T - 1.
   */
  forward(x: Tensor, options: AttentionForwardOptions = {}): Tensor {
    if (x.ndim === 2) return this.forward(x.reshape([1, ...x.shape]), options).reshape([...x.shape]);
    if (x.ndim !== 3 || x.shape[2] !== this.nEmbd) {
      throw new ArgumentError(`MultiHeadAttention: input must be [T, ${this.nEmbd}] or [B, T, ${this.nEmbd}], got [${x.shape.join(', ')}]`);
    }
    const [b, t, c] = x.shape;
    const h = this.nHead;
    const d = this.headDim;
    // [B, T, 3C] → [B, T, 3, H, D] → [3, B, H, T, D]: one copy yields q, k and v in head-major layout.
    const qkv = permute(this.c_attn.forward(x).reshape([b, t, 3, h, d]), [2, 0, 3, 1, 4]);
    const part = b * h * t * d;
    const split = qkv.reshape([3 * part]);
    const q = sliceFlat(split, 0, part, [b, h, t, d]);
    let k = sliceFlat(split, part, 2 * part, [b, h, t, d]);
    let v = sliceFlat(split, 2 * part, 3 * part, [b, h, t, d]);
    const cache = options.kvCache;
    if (cache !== undefined) ({ k, v } = cache.append(options.layer ?? 0, k, v));
    const tk = k.shape[2];
    const opts = { causal: this.causal, scale: this.scale, window: this.windowSize };
    let att: Tensor;
    if (this.attnDropout.p === 0 || !this.attnDropout.training) {
      // one kernel per layer and step (a backend may fuse it); same values as the composition below
      att = scaledDotProductAttention(q, k, v, opts);
    } else {
      // dropout acts on the probabilities, so they must exist as a tensor
      let scores = matmul(q, transpose(k, -2, -1));
      if (this.scale !== 1) scores = scores.mul(this.scale);
      scores = maskedFill(scores, attentionMask(t, tk, opts), MASKED);
      att = matmul(this.attnDropout.forward(softmax(scores, -1)), v);
    }
    const y = transpose(att, 1, 2).reshape([b, t, c]);
    return this.residDropout.forward(this.c_proj.forward(y));
  }
}

function sliceFlat(x: Tensor, start: number, end: number, shape: number[]): Tensor {
  return slice(x, 0, start, end).reshape(shape);
}
