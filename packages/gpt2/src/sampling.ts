import { defaultGenerator, Generator } from '@gorch/tensor';
import { GenerateError } from './errors';

/**
 * How to pick each new token. The logits are processed in the order of Hugging Face's
 * `generate` warpers: temperature, then top-k, then top-p (nucleus, Holtzman et al. 2020), then one
 * token is drawn from the softmax of what is left.
 */
export interface GenerateConfig {
  /** Tokens to append after the prompt (>= 0). */
  maxNewTokens: number;
  /** Logits are divided by it; 0 = greedy (argmax, first index on ties). */
  temperature: number;
  /** Keep only the k highest logits (ties with the k-th kept); 0 = off. */
  topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches top_p (the token that
   * crosses the threshold is kept, the set is never empty); in [0, 1], 0 or 1 = off (HF's
   * `TopPLogitsWarper` likewise rejects top_p > 1). */
  topP: number;
  /** Stop after emitting this id (it is included in the output); -1 = off. */
  stopToken: number;
  /** Decode incrementally with a KV cache (same logits, fewer FLOPs). A boolean: `'no'` is refused, not truthy. */
  useKVCache: boolean;
  /** Seed of a private generator (a safe integer, as `Generator.manualSeed` takes), making sampling
   * reproducible; undefined = the global generator of `@gorch/tensor` (`manualSeed`). */
  seed?: number;
}

/** Sampling defaults of Hugging Face `generate` with `do_sample=True`: temperature 1, top_k 50, 50 new tokens. */
export function defaultGenerateConfig(): GenerateConfig {
  return { maxNewTokens: 50, temperature: 1, topK: 50, topP: 0, stopToken: -1, useKVCache: true };
}

/** Greedy decoding of `maxNewTokens` tokens with the KV cache. */
export function greedyConfig(maxNewTokens: number): GenerateConfig {
  return { maxNewTokens, temperature: 0, topK: 0, topP: 0, stopToken: -1, useKVCache: true };
}

/**
 * Checks every field of a {@link GenerateConfig} (types and ranges) before any decoding starts.
 * @throws GenerateError (code `E_ARG`) naming `cfg` when it is not an object, else the first invalid field
 */
export function validateGenerateConfig(cfg: GenerateConfig): void {
  if (typeof cfg !== 'object' || cfg === null) throw new GenerateError(`GenerateConfig: cfg must be an object (e.g. defaultGenerateConfig()), got ${cfg === null ? 'null' : typeof cfg}`);
  const bad = (f: string, v: unknown, want: string) => new GenerateError(`GenerateConfig.${f} must be ${want}, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  if (!Number.isInteger(cfg.maxNewTokens) || cfg.maxNewTokens < 0) throw bad('maxNewTokens', cfg.maxNewTokens, 'an integer >= 0');
  if (typeof cfg.temperature !== 'number' || !(cfg.temperature >= 0) || !Number.isFinite(cfg.temperature)) throw bad('temperature', cfg.temperature, 'a finite number >= 0');
  if (!Number.isInteger(cfg.topK) || cfg.topK < 0) throw bad('topK', cfg.topK, 'an integer >= 0');
  if (typeof cfg.topP !== 'number' || !(cfg.topP >= 0 && cfg.topP <= 1)) throw bad('topP', cfg.topP, 'a number in [0, 1]');
  if (!Number.isInteger(cfg.stopToken) || cfg.stopToken < -1) throw bad('stopToken', cfg.stopToken, 'an integer >= -1');
  if (typeof cfg.useKVCache !== 'boolean') throw bad('useKVCache', cfg.useKVCache, 'a boolean');
  if (cfg.seed !== undefined && !Number.isSafeInteger(cfg.seed)) throw bad('seed', cfg.seed, 'a safe integer');
}

/** Index of the largest value (the first one on ties, as `torch.argmax`). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * The probabilities after temperature, top-k and top-p (zero for removed tokens), summing to 1.
 * `temperature` must be > 0 here (greedy never samples).
 */
export function filteredProbs(logits: ArrayLike<number>, cfg: Pick<GenerateConfig, 'temperature' | 'topK' | 'topP'>): Float64Array {
  const n = logits.length;
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = logits[i] / cfg.temperature;
  if (cfg.topK > 0 && cfg.topK < n) {
    const kth = Float64Array.from(scaled).sort()[n - cfg.topK];
    for (let i = 0; i < n; i++) if (scaled[i] < kth) scaled[i] = -Infinity;
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (scaled[i] > max) max = scaled[i];
  const p = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += p[i] = Math.exp(scaled[i] - max);
  for (let i = 0; i < n; i++) p[i] /= sum;
  if (cfg.topP > 0 && cfg.topP < 1) {
    // ties: the higher index counts as more likely, as in HF's stable ascending sort read from the end
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b] - p[a] || b - a);
    let cum = 0;
    let kept = 0;
    while (kept < n && (kept === 0 || cum < cfg.topP)) cum += p[order[kept++]];
    for (let j = kept; j < n; j++) p[order[j]] = 0;
    for (let j = 0; j < kept; j++) p[order[j]] /= cum;
  }
  return p;
}

/** A source of uniform numbers in [0, 1) for sampling. */
export interface Uniform { uniform(): number }

/** The generator {@link sampleToken} uses for `cfg.seed` (a private one) or the global one. */
export function generatorFor(cfg: Pick<GenerateConfig, 'seed'>): Uniform {
  return cfg.seed === undefined ? defaultGenerator : new Generator(cfg.seed);
}

/**
 * Picks the next token from the logits of the last position: argmax when `temperature` is 0,
 * otherwise a draw from {@link filteredProbs} (inverse CDF with one uniform from `rng`).
 */
export function sampleToken(logits: ArrayLike<number>, cfg: Pick<GenerateConfig, 'temperature' | 'topK' | 'topP'>, rng: Uniform): number {
  if (cfg.temperature === 0) return argmax(logits);
  const p = filteredProbs(logits, cfg);
  const u = rng.uniform();
  let cum = 0;
  let last = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    last = i;
    cum += p[i];
    if (u < cum) return i;
  }
  return last; // rounding left cum a hair under u
}
