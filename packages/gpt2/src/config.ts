import { ConfigError } from './errors';

/** Attention span of one layer: `'global'` sees every earlier position, `'local'` only the last `windowSize`. */
export type AttentionKind = 'global' | 'local';

/**
 * Architecture of a GPT-2-family checkpoint, in the names of Hugging Face's `config.json`
 * (camel-cased). Two layouts are supported:
 *
 * - `modelType: 'gpt2'` (transformers `GPT2LMHeadModel`): fused Q|K|V with bias, Conv1D weights,
 *   scores scaled by 1/sqrt(head_dim) when `scaleAttnWeights`, every layer global.
 * - `modelType: 'gpt_neo'` (transformers `GPTNeoForCausalLM`, e.g. the TinyStories family): separate
 *   q/k/v projections without bias, scores NOT scaled, layers alternating global / local attention
 *   per `attention_types`, a local layer seeing only the last `window_size` positions.
 */
export interface GPT2Config {
  /** `'gpt2'` or `'gpt_neo'` (config.json `model_type`). */
  modelType: 'gpt2' | 'gpt_neo';
  /** Vocabulary size V (`vocab_size`). */
  vocabSize: number;
  /** Width C (`n_embd` / `hidden_size`). */
  nEmbd: number;
  /** Attention heads H; head_dim = C / H (`n_head` / `num_heads`). */
  nHead: number;
  /** Transformer blocks (`n_layer` / `num_layers`). */
  nLayer: number;
  /** Rows of the learned position table `wpe` (`n_positions` / `max_position_embeddings`). */
  nPositions: number;
  /** MLP hidden width (`n_inner` / `intermediate_size`; null in the JSON means 4 C). */
  nInner: number;
  /** LayerNorm epsilon (`layer_norm_epsilon`). */
  layerNormEpsilon: number;
  /** MLP activation (`activation_function`, e.g. `'gelu_new'`, `'gelu'`, `'relu'`). */
  activation: string;
  /** Scale attention scores by 1/sqrt(head_dim) (`scale_attn_weights`; always false for GPT-Neo). */
  scaleAttnWeights: boolean;
  /** Attention kind of each layer (length `nLayer`). */
  attentionLayers: AttentionKind[];
  /** Span of a local layer in positions, the current one included (`window_size`). */
  windowSize: number;
  /** Whether the Q/K/V projections have a bias (true for GPT-2, false for GPT-Neo). */
  qkvBias: boolean;
  /** Whether `lm_head` shares `wte` (`tie_word_embeddings`, default true). */
  tieWordEmbeddings: boolean;
  /** `bos_token_id`, when the config gives one. */
  bosTokenId?: number;
  /** `eos_token_id`, when the config gives one (a natural `stopToken`). */
  eosTokenId?: number;
}

/** openai-community/gpt2 (GPT-2 small, 124M parameters). */
export function gpt2Small(): GPT2Config {
  return {
    modelType: 'gpt2', vocabSize: 50257, nEmbd: 768, nHead: 12, nLayer: 12, nPositions: 1024, nInner: 3072,
    layerNormEpsilon: 1e-5, activation: 'gelu_new', scaleAttnWeights: true,
    attentionLayers: Array(12).fill('global'), windowSize: 1024, qkvBias: true, tieWordEmbeddings: true,
    bosTokenId: 50256, eosTokenId: 50256,
  };
}

/**
 * roneneldan/TinyStories-1M: a GPT-Neo with hidden_size 64, 16 heads, 8 layers alternating
 * global / local (window 256), 2048 positions, GPT-Neo tokenizer (50257 entries).
 */
export function tinyStories1M(): GPT2Config {
  return {
    modelType: 'gpt_neo', vocabSize: 50257, nEmbd: 64, nHead: 16, nLayer: 8, nPositions: 2048, nInner: 256,
    layerNormEpsilon: 1e-5, activation: 'gelu_new', scaleAttnWeights: false,
    attentionLayers: ['global', 'local', 'global', 'local', 'global', 'local', 'global', 'local'],
    windowSize: 256, qkvBias: false, tieWordEmbeddings: true, bosTokenId: 50256, eosTokenId: 50256,
  };
}

type Json = Record<string, unknown>;

function int(json: Json, keys: string[], source: string, fallback?: number): number {
  for (const k of keys) {
    const v = json[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new ConfigError(`${source}: "${k}" must be a positive integer, got ${JSON.stringify(v)}`);
    }
    return v;
  }
  if (fallback !== undefined) return fallback;
  throw new ConfigError(`${source}: missing "${keys.join('" / "')}"`);
}

function num(json: Json, key: string, fallback: number, source: string): number {
  const v = json[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !(v > 0)) throw new ConfigError(`${source}: "${key}" must be a positive number, got ${JSON.stringify(v)}`);
  return v;
}

function optionalId(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** GPT-Neo's `attention_types` is a run-length list: `[[["global","local"], 4]]` -> 8 layers. */
function expandAttentionTypes(types: unknown, source: string): AttentionKind[] {
  if (!Array.isArray(types)) throw new ConfigError(`${source}: "attention_types" must be a list`);
  const out: AttentionKind[] = [];
  for (const entry of types) {
    if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[0]) || !Number.isInteger(entry[1])) {
      throw new ConfigError(`${source}: bad "attention_types" entry ${JSON.stringify(entry)}`);
    }
    for (let r = 0; r < entry[1]; r++) out.push(...checkKinds(entry[0], source));
  }
  return out;
}

function checkKinds(kinds: unknown[], source: string): AttentionKind[] {
  return kinds.map((k) => {
    if (k !== 'global' && k !== 'local') throw new ConfigError(`${source}: attention type ${JSON.stringify(k)} is not 'global' or 'local'`);
    return k;
  });
}

/**
 * Reads a Hugging Face `config.json` object (already parsed). `source` names the file in errors.
 *
 * @throws ConfigError for a missing or invalid field, an unknown `model_type`, or a feature this
 *   implementation does not have (`scale_attn_by_inverse_layer_idx`).
 */
export function configFromJSON(json: unknown, source = 'config.json'): GPT2Config {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`${source}: not a JSON object`);
  const j = json as Json;
  const type = j.model_type ?? 'gpt2';
  const tie = j.tie_word_embeddings === undefined ? true : j.tie_word_embeddings === true;
  const ids = { bosTokenId: optionalId(j.bos_token_id), eosTokenId: optionalId(j.eos_token_id) };
  let cfg: GPT2Config;
  if (type === 'gpt2') {
    if (j.scale_attn_by_inverse_layer_idx === true) {
      throw new ConfigError(`${source}: scale_attn_by_inverse_layer_idx=true is not supported`);
    }
    const nEmbd = int(j, ['n_embd'], source);
    const nLayer = int(j, ['n_layer'], source);
    const nPositions = int(j, ['n_positions', 'n_ctx'], source);
    cfg = {
      modelType: 'gpt2', vocabSize: int(j, ['vocab_size'], source), nEmbd, nHead: int(j, ['n_head'], source), nLayer,
      nPositions, nInner: int(j, ['n_inner'], source, 4 * nEmbd), layerNormEpsilon: num(j, 'layer_norm_epsilon', 1e-5, source),
      activation: typeof j.activation_function === 'string' ? j.activation_function : 'gelu_new',
      scaleAttnWeights: j.scale_attn_weights !== false, attentionLayers: Array(nLayer).fill('global'),
      windowSize: nPositions, qkvBias: true, tieWordEmbeddings: tie, ...ids,
    };
  } else if (type === 'gpt_neo') {
    const nEmbd = int(j, ['hidden_size'], source);
    const nLayer = int(j, ['num_layers'], source);
    const layers = Array.isArray(j.attention_layers) ? checkKinds(j.attention_layers, source) : expandAttentionTypes(j.attention_types, source);
    if (layers.length !== nLayer) {
      throw new ConfigError(`${source}: attention types describe ${layers.length} layers but num_layers is ${nLayer}`);
    }
    cfg = {
      modelType: 'gpt_neo', vocabSize: int(j, ['vocab_size'], source), nEmbd, nHead: int(j, ['num_heads'], source), nLayer,
      nPositions: int(j, ['max_position_embeddings'], source), nInner: int(j, ['intermediate_size'], source, 4 * nEmbd),
      layerNormEpsilon: num(j, 'layer_norm_epsilon', 1e-5, source),
      activation: typeof j.activation_function === 'string' ? j.activation_function : 'gelu_new',
      scaleAttnWeights: false, attentionLayers: layers, windowSize: int(j, ['window_size'], source, 256),
      qkvBias: false, tieWordEmbeddings: tie, ...ids,
    };
  } else {
    throw new ConfigError(`${source}: model_type ${JSON.stringify(type)} is not supported (expected "gpt2" or "gpt_neo")`);
  }
  validateConfig(cfg, source);
  return cfg;
}

/** The integer fields of a {@link GPT2Config}. */
const INT_FIELDS = ['vocabSize', 'nEmbd', 'nHead', 'nLayer', 'nPositions', 'nInner', 'windowSize'] as const;

/** The fields a {@link GPT2Config} cannot lack (`bosTokenId` / `eosTokenId` are optional). */
const REQUIRED = [
  'modelType', ...INT_FIELDS, 'layerNormEpsilon', 'activation', 'scaleAttnWeights', 'attentionLayers', 'qkvBias', 'tieWordEmbeddings',
] as const;

/** Keys that only a Hugging Face `config.json` object has, never a {@link GPT2Config}. */
const HF_KEYS = ['model_type', 'vocab_size', 'n_embd', 'n_head', 'n_layer', 'n_positions', 'n_ctx', 'hidden_size', 'num_heads', 'num_layers'];

/**
 * Checks that `cfg` is a whole {@link GPT2Config} (every field present, with its type) and its
 * invariants (positive sizes, C divisible by H, one attention kind per layer). A Hugging Face
 * `config.json` object (`n_embd`, `vocab_size`, ...) is not one: the message then says to convert
 * it with {@link configFromJSON}.
 *
 * @param source names the config in messages
 * @throws ConfigError listing every missing field, or naming the first invalid one
 */
export function validateConfig(cfg: GPT2Config, source = 'GPT2Config'): void {
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) {
    throw new ConfigError(`${source}: a GPT2Config must be an object, got ${cfg === null ? 'null' : Array.isArray(cfg) ? 'an array' : typeof cfg}`);
  }
  const c = cfg as unknown as Record<string, unknown>;
  const hf = HF_KEYS.filter((k) => k in c);
  const hint = hf.length > 0
    ? ` (it has the Hugging Face config.json field${hf.length > 1 ? 's' : ''} ${hf.join(', ')}: convert such an object with configFromJSON(json))`
    : '';
  const missing = REQUIRED.filter((k) => c[k] === undefined);
  if (missing.length > 0) throw new ConfigError(`${source}: missing ${missing.join(', ')}${hint}`);
  const bad = (field: string, want: string): ConfigError =>
    new ConfigError(`${source}: ${field} must be ${want}, got ${typeof c[field] === 'number' ? String(c[field]) : JSON.stringify(c[field])}${hint}`);
  if (c.modelType !== 'gpt2' && c.modelType !== 'gpt_neo') throw bad('modelType', `'gpt2' or 'gpt_neo'`);
  for (const k of INT_FIELDS) {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw bad(k, 'a positive integer');
  }
  if (typeof c.layerNormEpsilon !== 'number' || !(c.layerNormEpsilon > 0) || !Number.isFinite(c.layerNormEpsilon)) throw bad('layerNormEpsilon', 'a positive number');
  if (typeof c.activation !== 'string') throw bad('activation', 'a string such as "gelu_new"');
  for (const k of ['scaleAttnWeights', 'qkvBias', 'tieWordEmbeddings'] as const) {
    if (typeof c[k] !== 'boolean') throw bad(k, 'a boolean');
  }
  for (const k of ['bosTokenId', 'eosTokenId'] as const) {
    if (c[k] !== undefined && !Number.isInteger(c[k])) throw bad(k, 'an integer token id or undefined');
  }
  if (!Array.isArray(c.attentionLayers) || c.attentionLayers.some((l) => l !== 'global' && l !== 'local')) {
    throw bad('attentionLayers', `a list of 'global' / 'local', one per layer`);
  }
  if (cfg.nEmbd % cfg.nHead !== 0) throw new ConfigError(`${source}: nEmbd ${cfg.nEmbd} is not divisible by nHead ${cfg.nHead}`);
  if (cfg.attentionLayers.length !== cfg.nLayer) {
    throw new ConfigError(`${source}: attentionLayers has ${cfg.attentionLayers.length} entries for ${cfg.nLayer} layers`);
  }
}

/** Number of parameters of the architecture (a tied `lm_head` counted once), e.g. 124,439,808 for {@link gpt2Small}. */
export function parameterCount(cfg: GPT2Config): number {
  const C = cfg.nEmbd;
  const I = cfg.nInner;
  const block = 4 * C + 3 * C * C + (cfg.qkvBias ? 3 * C : 0) + C * C + C + C * I + I + I * C + C;
  return (cfg.vocabSize + cfg.nPositions) * C + cfg.nLayer * block + 2 * C + (cfg.tieWordEmbeddings ? 0 : cfg.vocabSize * C);
}
