import { noGrad } from '@gorch/autograd';
import { KVCache, type GPT } from '@gorch/nn';
import { Tensor, tensor, tidy } from '@gorch/tensor';
import { GenerateError } from './errors';
import { generatorFor, greedyConfig, sampleToken, validateGenerateConfig, type GenerateConfig } from './sampling';

/**
 * An empty key/value cache for `model` (one slot per layer), for incremental decoding with
 * `model.forward(newIds, { kvCache })`: positions continue from the cache length, and the logits
 * equal those of a forward over the whole sequence. Dispose it when done.
 */
export function newKVCache(model: GPT): KVCache {
  return new KVCache(model.config.nLayer);
}

/** Prompt token ids: a plain array, an integer typed array, or a `[T]` / `[1, T]` Tensor. */
export type TokenIds = readonly number[] | Int32Array | Tensor;

/** `ids` as a plain array. @throws GenerateError naming `ids` when it is none of {@link TokenIds} */
function idArray(ids: TokenIds, what: string): number[] {
  if (Array.isArray(ids)) return [...(ids as readonly number[])];
  if (ids instanceof Int32Array || ids instanceof Uint32Array || ids instanceof Uint16Array || ids instanceof Uint8Array) return Array.from(ids);
  if (ids instanceof Tensor) {
    const s = ids.shape;
    if (!(s.length === 1 || (s.length === 2 && s[0] === 1))) throw new GenerateError(`${what}: ids must be a [T] or [1, T] tensor (one sequence), got shape [${s.join(', ')}]`);
    return Array.from(ids.dataSync() as ArrayLike<number>);
  }
  const got = ids === null ? 'null' : typeof ids === 'object' ? (ids as object).constructor?.name ?? 'object' : typeof ids;
  throw new GenerateError(`${what}: ids must be an array of token ids, an Int32Array or a [T] / [1, T] Tensor, got ${got}`);
}

function checkIds(model: GPT, ids: readonly number[], what: string): void {
  if (ids.length === 0) throw new GenerateError(`${what}: the prompt is empty (pass at least one token id, e.g. the BOS id)`);
  const V = model.config.vocabSize;
  ids.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= V) throw new GenerateError(`${what}: token id ${id} at position ${i} is outside [0, ${V})`);
  });
}

/** Logits of the last position of `ids` (fed after `cache`, when given), as a fresh Float32Array. */
function lastLogits(model: GPT, ids: readonly number[], cache: KVCache | null): Float32Array {
  let row: Float32Array = new Float32Array(0);
  tidy(() => {
    const input = tensor(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' });
    const logits = model.forward(input, cache ? { kvCache: cache } : {});
    const V = model.config.vocabSize;
    row = logits.dataSync().slice((ids.length - 1) * V, ids.length * V) as Float32Array;
  });
  return row;
}

/**
 * The new tokens of an autoregressive decode, one at a time (the streaming primitive under every
 * other generate function). Runs under `noGrad`, disposing every intermediate tensor.
 *
 * Context longer than the model's `nPositions` (n_positions / max_position_embeddings) is cropped
 * to its last `nPositions` tokens, as nanoGPT does; with the KV cache the cache is then rebuilt
 * from that window, so `wpe` is never read past its end.
 *
 * @param ids prompt token ids (non-empty, each an integer in [0, vocabSize)): an array, an
 *   Int32Array or a `[T]` / `[1, T]` Tensor
 * @throws GenerateError for an invalid config (or a `cfg` that is not an object), `ids` of another
 *   type, an empty prompt, an id outside the vocabulary, or NaN logits
 */
export function* generateTokens(model: GPT, tokenIds: TokenIds, cfg: GenerateConfig): Generator<number, void, undefined> {
  validateGenerateConfig(cfg);
  const ids = idArray(tokenIds, 'generate');
  checkIds(model, ids, 'generate');
  const rng = generatorFor(cfg);
  const P = model.config.nPositions;
  const all = [...ids];
  let cache: KVCache | null = null;
  let cacheStart = 0; // index in `all` of the cache's position 0
  let fed = 0; // tokens of `all` already in the cache
  try {
    for (let step = 0; step < cfg.maxNewTokens; step++) {
      const logits = noGrad(() => {
        if (!cfg.useKVCache) return lastLogits(model, all.slice(-P), null);
        if (cache === null || all.length - cacheStart > P) {
          cache?.dispose();
          cache = newKVCache(model);
          cacheStart = Math.max(0, all.length - P);
          fed = cacheStart;
        }
        const out = lastLogits(model, all.slice(fed), cache);
        fed = all.length;
        return out;
      });
      if (logits.some(Number.isNaN)) throw new GenerateError(`generate: the model produced NaN logits at step ${step}`);
      const next = sampleToken(logits, cfg, rng);
      all.push(next);
      yield next;
      if (next === cfg.stopToken) return;
    }
  } finally {
    (cache as KVCache | null)?.dispose();
  }
}

/**
 * Decodes with `cfg` and returns the prompt followed by the new tokens (at most
 * `cfg.maxNewTokens`; the stop token, when hit, is the last one).
 * @throws GenerateError (see {@link generateTokens})
 */
export function generateWithConfig(model: GPT, ids: TokenIds, cfg: GenerateConfig): number[] {
  validateGenerateConfig(cfg);
  const prompt = idArray(ids, 'generate');
  return [...prompt, ...generateTokens(model, prompt, cfg)];
}

/**
 * Greedy decoding (argmax each step, KV cache on): the prompt followed by `maxNewTokens` new ids.
 * @throws GenerateError (see {@link generateTokens})
 */
export function generate(model: GPT, ids: TokenIds, maxNewTokens: number): number[] {
  return generateWithConfig(model, ids, greedyConfig(maxNewTokens));
}
