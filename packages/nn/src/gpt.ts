import { arange, defaultGenerator, Tensor, tensor, type Generator } from '@gorch/tensor';
import type { ActivationName } from './activations';
import { assignInPlace } from './assign';
import { Dropout } from './dropout';
import { Embedding } from './embedding';
import { ArgumentError, ContextLengthError } from './errors';
import type { KVCache } from './kv_cache';
import { LayerNorm } from './layer_norm';
import { Linear, checkSize } from './linear';
import { Module } from './module';
import { ModuleList } from './module_list';
import { TransformerBlock } from './transformer_block';

/**
 * Hyper-parameters of {@link GPT}, named after Hugging Face's GPT2Config / GPTNeoConfig fields
 * (camelCase). Defaults are GPT-2's.
 */
export interface GPTConfig {
  /** Vocabulary size (`vocab_size`). */
  vocabSize: number;
  /** Longest sequence, the rows of `wpe` (`n_positions` / GPT-Neo `max_position_embeddings`). */
  nPositions: number;
  /** Model width (`n_embd` / `hidden_size`). */
  nEmbd: number;
  /** Attention heads per layer (`n_head` / `num_heads`). */
  nHead: number;
  /** Number of blocks (`n_layer` / `num_layers`). */
  nLayer: number;
  /** MLP width (`n_inner` / `intermediate_size`); default 4 · nEmbd. */
  nInner?: number | null;
  /** LayerNorm eps (`layer_norm_epsilon`), default 1e-5. */
  layerNormEpsilon?: number;
  /** MLP activation (`activation_function`), default 'gelu_new'. */
  activation?: ActivationName;
  /** Divide attention scores by √headDim: GPT-2 true (default), GPT-Neo false. */
  scaleAttnWeights?: boolean;
  /** Per-layer attention kind (GPT-Neo `attention_layers`); default all 'global'. */
  attentionLayers?: ('global' | 'local')[];
  /** Window of 'local' layers (GPT-Neo `window_size`), default 256. */
  windowSize?: number;
  /** Bias on the fused q/k/v projection: GPT-2 true (default), GPT-Neo false. */
  qkvBias?: boolean;
  /** Dropout after the embeddings (`embd_pdrop`), default 0. */
  embdPdrop?: number;
  /** Dropout on attention probabilities (`attn_pdrop`), default 0. */
  attnPdrop?: number;
  /** Dropout on residual branches (`resid_pdrop`), default 0. */
  residPdrop?: number;
  /** Std of the normal init (`initializer_range`), default 0.02. */
  initializerRange?: number;
}

/** Options of the {@link GPT} constructor. */
export interface GPTOptions {
  /** Generator for the initial weights and the dropout masks; default the global one. */
  generator?: Generator;
  /**
   * 'gpt2' (default): Hugging Face GPT-2 init — every Linear and Embedding weight N(0, initializerRange²),
   * the two residual projections (`attn.c_proj`, `mlp.c_proj`) N(0, (initializerRange/√(2·nLayer))²),
   * biases 0, LayerNorm 1/0. 'none': weights left at zero (fast, for loaders that overwrite them).
   */
  init?: 'gpt2' | 'none';
}

/** Per-call options of {@link GPT.forward}. */
export interface GPTForwardOptions {
  /** Incremental decoding: keys/values are appended to this cache; positions continue from its length. */
  kvCache?: KVCache;
  /** Position of the first id; default the cache length (0 without a cache). */
  positionOffset?: number;
}

/**
 * A GPT-2-style decoder-only transformer (Radford et al. 2019; the layout of HF GPT2LMHeadModel and
 * nanoGPT): token embedding `wte` + position embedding `wpe`, `nLayer` pre-norm
 * {@link TransformerBlock}s `h.{i}`, a final LayerNorm `ln_f` and an LM head `lm_head` [vocabSize, nEmbd]
 * (no bias). GPT-Neo is the same graph with unscaled attention, no q/k/v bias and local layers, all
 * set by {@link GPTConfig}. State-dict names: `wte.weight`, `wpe.weight`, `h.{i}.ln_1.weight`,
 * `h.{i}.attn.c_attn.weight`, ..., `ln_f.bias`, `lm_head.weight`.
 */
export class GPT extends Module {
  readonly config: Readonly<GPTConfig>;
  readonly wte: Embedding;
  readonly wpe: Embedding;
  readonly drop: Dropout;
  readonly h: ModuleList<TransformerBlock>;
  readonly ln_f: LayerNorm;
  readonly lm_head: Linear;

  constructor(config: GPTConfig, options: GPTOptions = {}) {
    super();
    for (const k of ['vocabSize', 'nPositions', 'nEmbd', 'nHead', 'nLayer'] as const) checkSize(config[k], `GPT config.${k}`);
    const layers = config.attentionLayers ?? Array<'global'>(config.nLayer).fill('global');
    if (layers.length !== config.nLayer || layers.some((l) => l !== 'global' && l !== 'local')) {
      throw new ArgumentError(`GPT config.attentionLayers must list 'global' or 'local' for each of the ${config.nLayer} layers, got ${JSON.stringify(config.attentionLayers)}`);
    }
    this.config = Object.freeze({ ...config });
    const generator = options.generator ?? defaultGenerator;
    const sub = { generator, skipInit: true };
    const e = config.nEmbd;
    this.wte = this.registerModule('wte', new Embedding(config.vocabSize, e, sub));
    this.wpe = this.registerModule('wpe', new Embedding(config.nPositions, e, sub));
    this.drop = this.registerModule('drop', new Dropout(config.embdPdrop ?? 0, sub));
    this.h = this.registerModule(
      'h',
      new ModuleList(
        layers.map(
          (kind) => new TransformerBlock({ ...config, causal: true, windowSize: kind === 'local' ? (config.windowSize ?? 256) : null }, sub),
        ),
      ),
    );
    this.ln_f = this.registerModule('ln_f', new LayerNorm(e, { eps: config.layerNormEpsilon ?? 1e-5 }));
    this.lm_head = this.registerModule('lm_head', new Linear(e, config.vocabSize, { ...sub, bias: false }));
    this.initWeights(options.init ?? 'gpt2', generator);
  }

  /**
   * Makes `lm_head.weight` the very tensor `wte.weight` (HF `tie_word_embeddings`): one parameter,
   * listed once by `parameters()`, under both names in `stateDict()`. Frees the old head weight.
   */
  tieLMHeadToEmbedding(): this {
    const old = this.lm_head.weight;
    if (old === this.wte.weight) return this;
    this.lm_head.tieWeight(this.wte.weight);
    old.dispose();
    return this;
  }

  /** True when `lm_head.weight` is `wte.weight`. */
  get isTied(): boolean {
    return this.lm_head.weight === this.wte.weight;
  }

  /**
   * ids int32 [T] → logits [T, vocabSize]; ids [B, T] → [B, T, vocabSize]. With `kvCache`, the ids are
   * the new positions only and logits are those of the new positions (equal to the matching rows of
   * a forward over the whole sequence). Throws {@link ContextLengthError} when positionOffset + T
   * exceeds nPositions (before any lookup), IndexError for an id outside the vocabulary, and `E_ARG`
   * for a cache with the wrong number of layers or `ids` that are neither a Tensor nor a (nested)
   * array of integers (a `number[]` / `number[][]` is taken as int32 ids).
   */
  forward(ids: Tensor | readonly number[] | readonly (readonly number[])[], options: GPTForwardOptions = {}): Tensor {
    if (!(ids instanceof Tensor)) {
      const t = idsTensor(ids);
      try {
        return this.forward(t, options);
      } finally {
        t.dispose();
      }
    }
    if (ids.ndim === 1) return this.forward(ids.reshape([1, ids.shape[0]]), options).reshape([ids.shape[0], this.config.vocabSize]);
    if (ids.ndim !== 2) throw new ArgumentError(`GPT.forward: ids must be [T] or [B, T], got [${ids.shape.join(', ')}]`);
    const cache = options.kvCache;
    if (cache !== undefined && cache.nLayer !== this.config.nLayer) {
      throw new ArgumentError(`GPT.forward: kvCache has ${cache.nLayer} layers, the model ${this.config.nLayer}`);
    }
    const t = ids.shape[1];
    const offset = options.positionOffset ?? cache?.layerLength(0) ?? 0;
    if (!Number.isInteger(offset) || offset < 0) throw new ArgumentError(`GPT.forward: positionOffset must be a non-negative integer, got ${offset}`);
    if (offset + t > this.config.nPositions) {
      throw new ContextLengthError(`GPT.forward: positions ${offset}..${offset + t - 1} exceed nPositions ${this.config.nPositions} (sequence of ${t} after ${offset} cached)`);
    }
    const pos = this.wpe.forward(arange(offset, offset + t));
    let x = this.drop.forward(this.wte.forward(ids).add(pos));
    let i = 0;
    for (const block of this.h) x = block.forward(x, { kvCache: cache, layer: i++ });
    return this.lm_head.forward(this.ln_f.forward(x));
  }

  private initWeights(kind: 'gpt2' | 'none', generator: Generator): void {
    if (kind !== 'gpt2' && kind !== 'none') throw new ArgumentError(`GPT: init must be 'gpt2' or 'none', got ${JSON.stringify(kind)}`);
    if (kind === 'none') return; // sub-modules were built with skipInit: zeros, LayerNorm ones
    const std = this.config.initializerRange ?? 0.02;
    const projStd = std / Math.sqrt(2 * this.config.nLayer);
    for (const [name, p] of this.namedParameters()) {
      const v = new Float32Array(p.size);
      if (name.endsWith('.bias')) {
        // zeros; LayerNorm biases too
      } else if (/(^|\.)ln_(1|2|f)\.weight$/.test(name)) {
        v.fill(1);
      } else {
        const s = /\.c_proj\.weight$/.test(name) ? projStd : std;
        for (let j = 0; j < v.length; j++) v[j] = s * generator.normal();
      }
      assignInPlace(p, v, `GPT init '${name}'`);
    }
  }
}

/** Plain-array ids as an int32 tensor; non-integers are refused rather than truncated. */
function idsTensor(ids: unknown): Tensor {
  if (!Array.isArray(ids)) throw new ArgumentError(`GPT.forward: ids must be a Tensor or an array of token ids, got ${ids === null ? 'null' : typeof ids}`);
  const flat = (ids as unknown[]).flat();
  const bad = flat.findIndex((v) => !Number.isInteger(v));
  if (bad >= 0) throw new ArgumentError(`GPT.forward: ids must be integers, got ${String(flat[bad])} at flat position ${bad}`);
  return tensor(ids as number[], { dtype: 'int32' });
}
