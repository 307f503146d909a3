import { sizeOf, Tensor } from '@gorch/tensor';
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
   * It must be synchronous: a returned Promise (or any thenable) is a LoadOptionError, and its
   * rejection is caught so it cannot become an unhandled rejection.
   * Anything it throws aborts the load (every parameter loaded so far is disposed); an Error
   * propagates as thrown, any other thrown value is wrapped in a LoadOptionError naming the
   * parameter (the value as `cause`).
   */
  onWeight?: (name: string, t: Tensor, info: WeightInfo) => Tensor;
  /**
   * How `onWeight` stores the weights, for the summary line of `loadGPT2Verbose` (e.g.
   * `'weights bfloat16 panels'`); a function is called once every parameter is loaded and must
   * return a string (LoadOptionError otherwise).
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
 * Calls `hook` for parameter `name` and returns its result unchecked (see {@link checkHookResult}).
 * @throws what the hook throws when it is an Error; LoadOptionError naming the parameter for any
 *   other thrown value, and for a returned Promise / thenable (whose rejection is then caught)
 */
export function callOnWeight(hook: NonNullable<LoadGPT2Options['onWeight']>, name: string, t: Tensor, info: WeightInfo): unknown {
  let out: unknown;
  try {
    out = hook(name, t, info);
  } catch (e) {
    if (e instanceof Error) throw e;
    const err = new LoadOptionError(`onWeight('${name}') threw ${describeThrown(e)}, not an Error`);
    err.cause = e;
    throw err;
  }
  if (isThenable(out)) {
    // the load is refused synchronously; a later rejection must not reach Node's unhandledRejection
    // (which ends the process), and a tensor it resolves to is ours like any refused result
    Promise.resolve(out).then(
      (v) => {
        if (isEngineTensor(v)) v.dispose();
      },
      () => {},
    );
    throw new LoadOptionError(`onWeight('${name}') returned a Promise; onWeight must be synchronous`);
  }
  return out;
}

/**
 * True for an undisposed Tensor built by the engine: the own fields its constructor sets are present
 * and consistent. An object made with `Object.create(Tensor.prototype)` passes `instanceof` but holds
 * no storage; disposing it would decrement the engine's live count for a tensor it never counted.
 */
export function isEngineTensor(v: unknown): v is Tensor {
  if (!(v instanceof Tensor) || v.isDisposed !== false) return false;
  const own = (k: string) => Object.prototype.hasOwnProperty.call(v, k);
  if (!['id', 'dataId', 'backend', 'shape', 'dtype', 'size'].every(own)) return false;
  const b = v.backend as unknown as Record<string, unknown> | null;
  return (
    Number.isSafeInteger(v.id) &&
    typeof v.dataId === 'object' &&
    v.dataId !== null &&
    typeof b === 'object' &&
    b !== null &&
    typeof b.read === 'function' &&
    typeof b.disposeData === 'function' &&
    Array.isArray(v.shape) &&
    v.shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    v.size === sizeOf(v.shape)
  );
}

/**
 * Checks what `onWeight` returned for parameter `name` (shape `shape`).
 * @throws LoadOptionError naming the parameter unless it is a live float32 Tensor of that shape
 */
export function checkHookResult(out: unknown, name: string, shape: readonly number[]): Tensor {
  const want = `a float32 Tensor of shape [${shape.join(', ')}]`;
  if (!(out instanceof Tensor)) throw new LoadOptionError(`onWeight('${name}') must return ${want}, got ${describe(out)}`);
  if (out.isDisposed === true) throw new LoadOptionError(`onWeight('${name}') returned a disposed tensor`);
  if (!isEngineTensor(out)) throw new LoadOptionError(`onWeight('${name}') must return ${want}, got an object with Tensor's prototype that no backend created`);
  if (out.dtype !== 'float32' || out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
    throw new LoadOptionError(`onWeight('${name}') must return ${want}, got ${out.dtype} [${out.shape.join(', ')}]`);
  }
  return out;
}

/**
 * The string `storage()` returned.
 * @throws LoadOptionError naming the option when it is not a string
 */
export function storageLabel(storage: LoadGPT2Options['storage'], fn: string): string | undefined {
  if (typeof storage !== 'function') return storage;
  const label: unknown = storage();
  if (typeof label !== 'string') throw new LoadOptionError(`${fn}: options.storage() must return a string, got ${describe(label)}`);
  return label;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return false;
  try {
    return typeof (v as { then?: unknown }).then === 'function';
  } catch {
    // a throwing `then` getter: not a thenable, and checkHookResult refuses it as a non-tensor
    return false;
  }
}

function describeThrown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'undefined') return String(v);
  return describe(v);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
