import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configFromJSON, gpt2Small, parameterCount, tinyStories1M, validateConfig, type GPT2Config } from '../src/config';
import { ConfigError } from '../src/errors';

const fixtures = new URL('../../../../shared/fixtures/', import.meta.url);
const golden = new URL('./golden/', import.meta.url);
const json = (u: URL) => JSON.parse(readFileSync(u, 'utf8'));

describe('configFromJSON', () => {
  it.skipIf(!existsSync(fixtures))('reads the arcsf-cities config (n_inner null -> 4 n_embd)', () => {
    const cfg = configFromJSON(json(new URL('arcsf-cities/base/config.json', fixtures)));
    expect(cfg).toMatchObject({
      modelType: 'gpt2', vocabSize: 307, nEmbd: 20, nHead: 1, nLayer: 1, nPositions: 40, nInner: 80,
      layerNormEpsilon: 1e-5, activation: 'gelu_new', scaleAttnWeights: true, qkvBias: true, eosTokenId: 306,
    });
    expect(cfg.attentionLayers).toEqual(['global']);
  });

  it('reads a GPT-Neo config: attention_types expanded, no score scaling, no q/k/v bias', () => {
    // tools/fixtures/gpt2_parity.py wrote this config
    const cfg = configFromJSON(json(new URL('parity-gpt-neo/config.json', golden)));
    expect(cfg).toMatchObject({ modelType: 'gpt_neo', nEmbd: 16, nHead: 4, nLayer: 2, nPositions: 32, nInner: 64, windowSize: 3, scaleAttnWeights: false, qkvBias: false });
    expect(cfg.attentionLayers).toEqual(['global', 'local']);
    const runLength = configFromJSON({ model_type: 'gpt_neo', vocab_size: 50257, hidden_size: 64, num_heads: 16, num_layers: 8, max_position_embeddings: 2048, window_size: 256, attention_types: [[['global', 'local'], 4]] });
    expect(runLength).toEqual({ ...tinyStories1M(), bosTokenId: undefined, eosTokenId: undefined });
  });

  it('honours n_inner, layer_norm_epsilon, activation_function and scale_attn_weights', () => {
    const cfg = configFromJSON({ vocab_size: 10, n_embd: 8, n_head: 2, n_layer: 1, n_positions: 4, n_inner: 5, layer_norm_epsilon: 1e-3, activation_function: 'relu', scale_attn_weights: false });
    expect(cfg).toMatchObject({ nInner: 5, layerNormEpsilon: 1e-3, activation: 'relu', scaleAttnWeights: false });
  });

  it('rejects bad configs with a ConfigError naming the field', () => {
    expect(() => configFromJSON({ model_type: 'llama' }, 'x/config.json')).toThrow(/x\/config\.json: model_type "llama"/);
    expect(() => configFromJSON({ vocab_size: 10, n_embd: 9, n_head: 2, n_layer: 1, n_positions: 4 })).toThrow(/not divisible/);
    expect(() => configFromJSON({ vocab_size: 10, n_embd: 8, n_head: 2, n_layer: 1 })).toThrow(/n_positions/);
    expect(() => configFromJSON({ vocab_size: -1, n_embd: 8, n_head: 2, n_layer: 1, n_positions: 4 })).toThrow(ConfigError);
    expect(() => configFromJSON({ model_type: 'gpt_neo', vocab_size: 5, hidden_size: 4, num_heads: 1, num_layers: 3, max_position_embeddings: 8, attention_types: [[['global', 'local'], 1]] })).toThrow(/2 layers but num_layers is 3/);
    expect(() => configFromJSON({ vocab_size: 10, n_embd: 8, n_head: 2, n_layer: 1, n_positions: 4, scale_attn_by_inverse_layer_idx: true })).toThrow(/not supported/);
  });
});

describe('validateConfig', () => {
  it('lists missing fields, names a bad one, and points a config.json object to configFromJSON', () => {
    expect(() => validateConfig(gpt2Small())).not.toThrow();
    const partial = { ...gpt2Small(), nHead: undefined, attentionLayers: undefined } as unknown as GPT2Config;
    expect(() => validateConfig(partial, 'cfg')).toThrow(new ConfigError('cfg: missing nHead, attentionLayers'));
    expect(() => validateConfig({ ...gpt2Small(), nPositions: 1.5 }, 'cfg')).toThrow(/^cfg: nPositions must be a positive integer, got 1.5$/);
    expect(() => validateConfig({ ...gpt2Small(), modelType: 'llama' as 'gpt2' }, 'cfg')).toThrow(/^cfg: modelType must be 'gpt2' or 'gpt_neo', got "llama"$/);
    expect(() => validateConfig({ ...gpt2Small(), qkvBias: 1 as unknown as boolean }, 'cfg')).toThrow(/^cfg: qkvBias must be a boolean, got 1$/);
    expect(() => validateConfig(null as unknown as GPT2Config, 'cfg')).toThrow(/^cfg: a GPT2Config must be an object, got null$/);
    const hf = { model_type: 'gpt2', n_embd: 8 } as unknown as GPT2Config;
    expect(() => validateConfig(hf, 'cfg')).toThrow(/^cfg: missing modelType, .* \(it has the Hugging Face config\.json fields model_type, n_embd: convert such an object with configFromJSON\(json\)\)$/);
  });
});

describe('presets', () => {
  it('gpt2Small has the published 124,439,808 parameters (HF openai-community/gpt2 model card: 124M)', () => {
    expect(parameterCount(gpt2Small())).toBe(124_439_808);
  });
});
