import { GPT, type GPTConfig, type GPTOptions } from '@gorch/nn';
import { validateConfig, type GPT2Config } from './config';
import { ConfigError } from './errors';

const ACTIVATIONS = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu', 'tanh', 'sigmoid'] as const;

/**
 * The `@gorch/nn` {@link GPTConfig} of a checkpoint architecture. Dropout is 0: loaded models are for
 * inference and fine-tuning small data, where HF's 0.1 would make losses non-reproducible.
 *
 * @throws ConfigError for an activation `@gorch/nn` does not implement
 */
export function toGPTConfig(cfg: GPT2Config): GPTConfig {
  validateConfig(cfg);
  if (!(ACTIVATIONS as readonly string[]).includes(cfg.activation)) {
    throw new ConfigError(`activation_function ${JSON.stringify(cfg.activation)} is not supported (expected one of ${ACTIVATIONS.join(', ')})`);
  }
  return {
    vocabSize: cfg.vocabSize, nPositions: cfg.nPositions, nEmbd: cfg.nEmbd, nHead: cfg.nHead, nLayer: cfg.nLayer,
    nInner: cfg.nInner, layerNormEpsilon: cfg.layerNormEpsilon, activation: cfg.activation as GPTConfig['activation'],
    scaleAttnWeights: cfg.scaleAttnWeights, attentionLayers: [...cfg.attentionLayers], windowSize: cfg.windowSize,
    qkvBias: cfg.qkvBias, embdPdrop: 0, attnPdrop: 0, residPdrop: 0,
  };
}

/**
 * A GPT-2 / GPT-Neo language model: `@gorch/nn`'s {@link GPT} (same forward, parameters and
 * state-dict names) that also remembers its Hugging Face architecture, so it can be saved back in HF
 * layout. `lm_head` is tied to `wte` when `config.tieWordEmbeddings`.
 */
export class GPT2LMHeadModel extends GPT {
  /** The checkpoint architecture (HF config.json fields). */
  readonly hfConfig: Readonly<GPT2Config>;

  /**
   * @param cfg architecture; @param options `init: 'none'` skips random init (loaders overwrite every weight)
   * @throws ConfigError for an invalid or unsupported architecture
   */
  constructor(cfg: GPT2Config, options: GPTOptions = {}) {
    super(toGPTConfig(cfg), options);
    this.hfConfig = Object.freeze({ ...cfg, attentionLayers: [...cfg.attentionLayers] });
    if (cfg.tieWordEmbeddings) this.tieLMHeadToEmbedding();
  }
}
