import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { saveSafetensors as writeSafetensors, openSafetensors } from '@gorch/io-safetensors';
import type { Module } from '@gorch/nn';
import { tensor, Tensor } from '@gorch/tensor';
import type { GPT2Config } from './config';
import { CheckpointError, GenerateError } from './errors';
import type { HostTensor } from './host_tensor';
import { gorchToHF } from './layout';
import type { GPT2LMHeadModel } from './model';

/** A tensor to save: a gorch Tensor (read with `dataSync`) or plain data. */
export type SavableTensor = Tensor | HostTensor;

function toHost(t: SavableTensor): HostTensor {
  if (t instanceof Tensor) return { shape: [...t.shape], data: t.dataSync() as Float32Array | Int32Array };
  return t;
}

/**
 * Writes tensors to a `.safetensors` file (float32 as F32, int32 as I32), atomically: a temp file in
 * the same folder renamed over `path` (see `@gorch/io-safetensors`).
 * @throws SafetensorsError for a bad name / shape / data length or an I/O failure
 */
export async function saveSafetensors(path: string, tensors: Record<string, SavableTensor> | Map<string, SavableTensor>): Promise<void> {
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  await writeSafetensors(path, new Map(entries.map(([k, v]) => [k, toHost(v)])), { format: 'pt' });
}

/** Parameter name -> file key: a table (names absent from it are not saved / loaded) or a function. */
export type NameMap = Record<string, string> | ((name: string) => string);

function mapped(names: string[], nameMap: NameMap | undefined): [string, string][] {
  if (nameMap === undefined) return names.map((n) => [n, n]);
  if (typeof nameMap === 'function') return names.map((n) => [n, nameMap(n)]);
  return names.filter((n) => n in nameMap).map((n) => [n, nameMap[n]]);
}

/**
 * Saves a module's parameters (its `stateDict()` names, each distinct tensor once) to a safetensors
 * file under the keys `nameMap` gives (default: the parameter names).
 * @throws CheckpointError when two parameters map to one key; SafetensorsError on write
 */
export async function saveModelWeights(path: string, params: Module, nameMap?: NameMap): Promise<void> {
  const state = params.stateDict();
  const seen = new Set<Tensor>();
  const out = new Map<string, SavableTensor>();
  for (const [name, key] of mapped(Object.keys(state), nameMap)) {
    if (seen.has(state[name])) continue; // a tied tensor is written once, under its first name
    seen.add(state[name]);
    if (out.has(key)) throw new CheckpointError(`${path}: parameters map to the same key "${key}"`);
    out.set(key, state[name]);
  }
  await saveSafetensors(path, out);
}

/**
 * Loads parameters from a safetensors file into a module, in place (the parameter tensors stay the
 * same objects, so an optimizer holding them keeps working). `nameMap` maps parameter names to file
 * keys (default identity); a parameter absent from the table is left unchanged, and a tensor
 * shared under two names (a tied head) is read under its first name only.
 * @throws CheckpointError naming a key the file lacks; nn's StateDictError for a shape mismatch
 */
export async function loadModelWeights(path: string, params: Module, nameMap?: NameMap): Promise<void> {
  const reader = await openSafetensors(path);
  try {
    const state = params.stateDict();
    const seen = new Set<Tensor>();
    for (const [name, key] of mapped(Object.keys(state), nameMap)) {
      if (seen.has(state[name])) continue; // a tied tensor is read once, under its first name
      seen.add(state[name]);
      if (!reader.has(key)) throw new CheckpointError(`${path}: no tensor "${key}" for parameter ${name}`);
      const src = await reader.get(key, { toFloat32: true });
      const t = tensor(src.data as Float32Array, { shape: src.shape, dtype: state[name].dtype });
      try {
        params.loadStateDict({ [name]: t }, { strict: false });
      } finally {
        t.dispose();
      }
    }
  } finally {
    await reader.close();
  }
}

/** The Hugging Face `config.json` object of an architecture (what {@link configFromJSON} reads back). */
export function configToJSON(cfg: GPT2Config): Record<string, unknown> {
  const ids = { bos_token_id: cfg.bosTokenId, eos_token_id: cfg.eosTokenId };
  const common = { vocab_size: cfg.vocabSize, layer_norm_epsilon: cfg.layerNormEpsilon, activation_function: cfg.activation, tie_word_embeddings: cfg.tieWordEmbeddings, ...ids };
  if (cfg.modelType === 'gpt_neo') {
    return {
      model_type: 'gpt_neo', architectures: ['GPTNeoForCausalLM'], hidden_size: cfg.nEmbd, num_heads: cfg.nHead,
      num_layers: cfg.nLayer, max_position_embeddings: cfg.nPositions, intermediate_size: cfg.nInner,
      window_size: cfg.windowSize, attention_layers: cfg.attentionLayers,
      attention_types: cfg.attentionLayers.map((k) => [[k], 1]), ...common,
    };
  }
  return {
    model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_embd: cfg.nEmbd, n_head: cfg.nHead, n_layer: cfg.nLayer,
    n_positions: cfg.nPositions, n_ctx: cfg.nPositions, n_inner: cfg.nInner, scale_attn_weights: cfg.scaleAttnWeights, ...common,
  };
}

function writeFileAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CheckpointError(`${file}: cannot write (${(e as Error).message})`);
  }
}

function checkModel(model: unknown): asserts model is GPT2LMHeadModel {
  const m = model as Partial<GPT2LMHeadModel> | null;
  if (typeof m !== 'object' || m === null || typeof m.stateDict !== 'function' || typeof m.hfConfig !== 'object' || m.hfConfig === null) {
    throw new GenerateError(`saveGPT2: model must be a GPT2LMHeadModel (from loadGPT2 or new GPT2LMHeadModel), got ${m === null ? 'null' : typeof m}`);
  }
}

/** Creates `dir` (and its parents) unless it is already a folder. */
function ensureFolder(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new CheckpointError(`${dir}: exists and is not a folder (saveGPT2 writes a checkpoint folder)`);
    return;
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CheckpointError(`${dir}: cannot create the folder (${(e as Error).message})`);
  }
}

/**
 * Saves a model as a Hugging Face checkpoint folder that {@link loadGPT2} (and transformers'
 * `from_pretrained`) reads: `config.json` and `model.safetensors` in HF key layout (`transformer.`
 * prefix, Conv1D weights `[in, out]` for GPT-2, split q/k/v for GPT-Neo, tied head omitted).
 * Both files are written atomically (temp file + rename). The arguments and the model's tensors are
 * checked before the folder is created.
 *
 * @param dir folder to write into: created with its parents if absent, reused if it is a folder
 * @throws GenerateError (code `E_ARG`) when `model` is not a GPT2LMHeadModel or `dir` is not a
 *   non-empty string; CheckpointError naming `dir` when it exists and is not a folder, cannot be
 *   created, or config.json cannot be written; TensorLayoutError; SafetensorsError on a write failure
 */
export async function saveGPT2(model: GPT2LMHeadModel, dir: string): Promise<void> {
  checkModel(model);
  if (typeof dir !== 'string' || dir === '') throw new GenerateError(`saveGPT2: dir must be a folder path, got ${JSON.stringify(dir)}`);
  const state = new Map(Object.entries(model.stateDict()).map(([k, t]) => [k, toHost(t)]));
  const hf = gorchToHF(state, model.hfConfig);
  ensureFolder(dir);
  await saveSafetensors(join(dir, 'model.safetensors'), hf);
  writeFileAtomic(join(dir, 'config.json'), `${JSON.stringify(configToJSON(model.hfConfig), null, 2)}\n`);
}
