import type { Tensor } from '@gorch/tensor';
import { activationModule, type ActivationName } from './activations';
import { MultiHeadAttention, type AttentionConfig, type AttentionForwardOptions } from './attention';
import { Dropout } from './dropout';
import type { InitOptions } from './init';
import { LayerNorm } from './layer_norm';
import { Linear } from './linear';
import { Module } from './module';

/** Configuration of {@link TransformerBlock} (a superset of {@link AttentionConfig}). */
export interface TransformerBlockConfig extends AttentionConfig {
  /** MLP hidden width (HF `n_inner`); default 4 · nEmbd. */
  nInner?: number | null;
  /** LayerNorm eps (HF `layer_norm_epsilon`), default 1e-5. */
  layerNormEpsilon?: number;
  /** MLP activation (HF `activation_function`), default 'gelu_new'. */
  activation?: ActivationName;
}

/** The GPT-2 MLP: c_proj(act(c_fc(x))) then dropout; c_fc [nInner, C], c_proj [C, nInner]. */
export class MLP extends Module {
  readonly c_fc: Linear;
  readonly c_proj: Linear;
  readonly act: Module;
  readonly dropout: Dropout;
  constructor(config: TransformerBlockConfig, options: InitOptions = {}) {
    super();
    const inner = config.nInner ?? 4 * config.nEmbd;
    this.c_fc = this.registerModule('c_fc', new Linear(config.nEmbd, inner, options));
    this.act = activationModule(config.activation ?? 'gelu_new');
    this.c_proj = this.registerModule('c_proj', new Linear(inner, config.nEmbd, options));
    this.dropout = this.registerModule('dropout', new Dropout(config.residPdrop ?? 0, options));
  }
  /** x [..., C] → [..., C]. */
  forward(x: Tensor): Tensor {
    return this.dropout.forward(this.c_proj.forward(this.act.forward(this.c_fc.forward(x))));
  }
}

/**
 * A pre-norm transformer block (GPT-2, Radford et al. 2019; HF GPT2Block):
 * x + attn(ln_1(x)), then + mlp(ln_2(·)). Parameter names `ln_1.*`, `attn.c_attn.*`, `attn.c_proj.*`,
 * `ln_2.*`, `mlp.c_fc.*`, `mlp.c_proj.*`. Input [T, C] or [B, T, C] float32 → same shape.
 */
export class TransformerBlock extends Module {
  readonly ln_1: LayerNorm;
  readonly attn: MultiHeadAttention;
  readonly ln_2: LayerNorm;
  readonly mlp: MLP;
  constructor(config: TransformerBlockConfig, options: InitOptions = {}) {
    super();
    const eps = config.layerNormEpsilon ?? 1e-5;
    this.ln_1 = this.registerModule('ln_1', new LayerNorm(config.nEmbd, { eps }));
    this.attn = this.registerModule('attn', new MultiHeadAttention(config, options));
    this.ln_2 = this.registerModule('ln_2', new LayerNorm(config.nEmbd, { eps }));
    this.mlp = this.registerModule('mlp', new MLP(config, options));
  }
  /** x [T, C] or [B, T, C] → same shape; `options` pass a KV cache to the attention. */
  forward(x: Tensor, options: AttentionForwardOptions = {}): Tensor {
    const a = x.add(this.attn.forward(this.ln_1.forward(x), options));
    return a.add(this.mlp.forward(this.ln_2.forward(a)));
  }
}
