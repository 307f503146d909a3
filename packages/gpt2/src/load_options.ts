import { Tensor } from '@gorch/tensor';
import type { GPT2Config } from './config';
import { LoadOptionError } from './errors';

/**
 * A tensor's dtype in the checkpoint file, in PyTorch's spelling: `'float32'`, `'bfloat16'`,
 * `'float16'`, `'float64'`, or an integer / bool dtype (`'int64'`, `'int32'`, `'int16'`, `'int8'`,
 * `'uint8'`, `'bool'`, ...). Safetensors `F32` / `BF16` / `F16` / `F64` and torch.save
 * `FloatStorage` / `BFloat16Storage` / `HalfStorage` / `DoubleStorage` map to the float names;
 * other safetensors dtypes are lower-cased (`'f8_e4m3'`).
 */
export type CheckpointDtype = string;

/**
 * What a parameter is, so a caller can choose its storage:
 * - `'linear'`: an nn.Linear weight `[out, in]` (`attn.c_attn`, `attn.c_proj`, `mlp.c_fc`,
 *   `mlp.c_proj`, an untied `lm_head`); multiplied by one row per decoded token.
 * - `'tied-embedding'`: `wte.weight [vocab, n_embd]` when it is also the LM head (HF
 *   `tie_word_embeddings`): gathered, and multiplied like a Linear weight.
 * - `'token-embedding'`: an untied `wte.weight` (gathered only). `'position-embedding'`: `wpe.weight`.
 * - `'bias'`: a Linear bias. `'norm'`: a LayerNorm weight or bias.
 */
export type WeightRole = 'linear' | 'tied-embedding' | 'token-embedding' | 'position-embedding' | 'bias' | 'norm';

/** What {@link LoadGPT2Options.onWeight} is told about a parameter. */
export interface WeightInfo {
  /** The checkpoint's dtype of the tensor(s) it was made from (when GPT-Neo's q/k/v differ: `'float32'`). */
  sourceDtype: CheckpointDtype;
  /** The checkpoint keys it was made from (three for GPT-Neo's stacked q/k/v). */
  sourceKeys: string[];
  /** See {@link WeightRole}. */
  role: WeightRole;
}

/** Options of `loadGPT2` / `loadGPT2Verbose`. */
export interface LoadGPT2Options {
  /**
   * Called once per parameter, in state-dict order, as soon as it is read: `t` is a fresh float32
   * row-major tensor on the active backend (half-width checkpoint values widened exactly, Conv1D
   * weights already transposed to `[out, in]`), `name` its gorch state-dict name
   * (`h.0.attn.c_attn.weight`). Return the tensor the parameter should hold: `t` itself, or a tensor
   * of the same shape and dtype with another storage (e.g. kernels-wasm's `repack(t, { format:
   * 'bfloat16', layout: 'panels' })`). The loader disposes `t` and the returned handle once the
   * parameter shares the returned storage. Only one parameter is in float32 at a time, so a caller
   * that narrows every weight never holds a float32 copy of the model.
   * Anything it throws aborts the load (every parameter loaded so far is disposed).
   */
  onWeight?: (name: string, t: Tensor, info: WeightInfo) => Tensor;
  /**
   * How `onWeight` stores the weights, for the summary line of `loadGPT2Verbose` (e.g.
   * `'weights bfloat16 panels'`); a function is called once every parameter is loaded.
   */
  storage?: string | (() => string);
}

/** The {@link WeightRole} of gorch parameter `name` in a model of `cfg`. */
export function weightRole(name: string, cfg: GPT2Config): WeightRole {
  if (name === 'wte.weight') return cfg.tieWordEmbeddings ? 'tied-embedding' : 'token-embedding';
  if (name === 'wpe.weight') return 'position-embedding';
  if (/(^|\.)ln_(1|2|f)\./.test(name)) return 'norm';
  return name.endsWith('.bias') ? 'bias' : 'linear';
}

/** @throws LoadOptionError (code `E_ARG`) for options that are not an object or have fields of the wrong type */
export function checkLoadOptions(options: unknown, fn: string): LoadGPT2Options {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new LoadOptionError(`${fn}: options must be an object, got ${describe(options)}`);
  const o = options as LoadGPT2Options;
  if (o.onWeight !== undefined && typeof o.onWeight !== 'function') throw new LoadOptionError(`${fn}: options.onWeight must be a function, got ${describe(o.onWeight)}`);
  if (o.storage !== undefined && typeof o.storage !== 'string' && typeof o.storage !== 'function') {
    throw new LoadOptionError(`${fn}: options.storage must be a string or a function, got ${describe(o.storage)}`);
  }
  return o;
}

/**
 * Checks what `onWeight` returned for parameter `name` (shape `shape`).
 * @throws LoadOptionError naming the parameter unless it is a live float32 Tensor of that shape
 */
export function checkHookResult(out: unknown, name: string, shape: readonly number[]): Tensor {
  const want = `a float32 Tensor of shape [${shape.join(', ')}]`;
  if (!(out instanceof Tensor)) throw new LoadOptionError(`onWeight('${name}') must return ${want}, got ${describe(out)}`);
  if (out.isDisposed) throw new LoadOptionError(`onWeight('${name}') returned a disposed tensor`);
  if (out.dtype !== 'float32' || out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
    throw new LoadOptionError(`onWeight('${name}') must return ${want}, got ${out.dtype} [${out.shape.join(', ')}]`);
  }
  return out;
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
