import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tensor, type Tensor } from '@gorch/tensor';
import { findWeights, openCheckpoint, type CheckpointSource } from './checkpoint';
import { configFromJSON, parameterCount, validateConfig, type GPT2Config } from './config';
import { CheckpointError, ConfigError } from './errors';
import type { HostTensor } from './host_tensor';
import { checkSources, floatTensor, planLayout, type ParamPlan } from './layout';
import { callOnWeight, checkHookResult, checkLoadOptions, isEngineTensor, storageLabel, weightRole, type CheckpointDtype, type LoadGPT2Options, type WeightInfo } from './load_options';
import { GPT2LMHeadModel } from './model';
import { buildUnloaded, isUnloaded } from './unloaded';

/**
 * Reads `config.json` of a Hugging Face checkpoint folder (or of the folder of a weights file).
 * @throws ConfigError when it is missing, not JSON, or describes an unsupported architecture
 */
export function configFromPretrained(path: string): GPT2Config {
  const dir = existsSync(path) && statSync(path).isFile() ? dirname(path) : path;
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read config.json (pass a GPT2Config to load a folder without one)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  return configFromJSON(json, file);
}

/** What {@link loadGPT2Verbose} reports. */
export interface LoadSummary {
  /** The weights file read (a {@link CheckpointSource}'s `file`). */
  file: string;
  /** Distinct parameters (a tied head counted once). */
  parameters: number;
  /** Checkpoint keys that are neither parameters nor known buffers (never keys of layers past
   * `n_layer`: those fail the load). */
  unusedKeys: string[];
  /** Parameter elements per checkpoint dtype ({@link WeightInfo.sourceDtype}), e.g. `{ bfloat16: 111808 }`. */
  sourceDtypes?: Record<CheckpointDtype, number>;
  /** {@link LoadGPT2Options.storage}, resolved once loading ended. */
  storage?: string;
}

/** Where {@link loadGPT2} takes weights from: a checkpoint folder or file, or an opened / in-memory source. */
export type GPT2Weights = string | CheckpointSource;

async function open(from: GPT2Weights, cfg: GPT2Config | undefined, fn: string): Promise<{ src: CheckpointSource; config: GPT2Config }> {
  if (typeof from !== 'string') {
    try {
      if (cfg === undefined) throw new ConfigError(`${from.file}: loading from a CheckpointSource needs a GPT2Config (there is no config.json to read)`);
      // before any layout is planned: a config.json-style object would otherwise surface as
      // shape errors against undefined sizes
      validateConfig(cfg, `${fn}: cfg`);
    } catch (e) {
      await from.close();
      throw e;
    }
    return { src: from, config: cfg };
  }
  if (cfg !== undefined) validateConfig(cfg, `${fn}: cfg`);
  const { dir, file } = findWeights(from);
  const config = cfg ?? configFromPretrained(dir);
  return { src: await openCheckpoint(file), config };
}

function planDtype(plan: ParamPlan, src: CheckpointSource): CheckpointDtype {
  const all = plan.sources.map((s) => src.dtype?.(s.key) ?? 'float32');
  return all.every((d) => d === all[0]) ? all[0] : 'float32';
}

async function load(from: GPT2Weights, cfg: GPT2Config | undefined, options: LoadGPT2Options, fn: string): Promise<{ model: GPT2LMHeadModel; summary: LoadSummary }> {
  const { src, config } = await open(from, cfg, fn);
  const file = src.file;
  let model: GPT2LMHeadModel | undefined;
  try {
    const layout = planLayout(config, src.keys());
    // every key and shape is checked from the header / pickle before any tensor data is read
    checkSources(layout, (k) => src.shape(k), basename(file));
    // parameters without storage: peak memory is the model as onWeight stores it plus one float32
    // tensor, never a float32 model of placeholders
    model = buildUnloaded(() => new GPT2LMHeadModel(config, { init: 'none' }));
    const sourceDtypes: Record<CheckpointDtype, number> = {};
    for (const plan of layout.plans) {
      const parts: HostTensor[] = [];
      for (const s of plan.sources) parts.push(floatTensor(await src.read(s.key), s.key, basename(file)));
      const host = plan.build(parts);
      const sourceDtype = planDtype(plan, src);
      sourceDtypes[sourceDtype] = (sourceDtypes[sourceDtype] ?? 0) + host.data.length;
      const made: Tensor = tensor(host.data, { shape: host.shape });
      let out: unknown = made;
      try {
        if (options.onWeight) {
          const info: WeightInfo = { sourceDtype, sourceKeys: plan.sources.map((s) => s.key), role: weightRole(plan.name, config) };
          out = callOnWeight(options.onWeight, plan.name, made, info);
        }
        model.loadStateDict({ [plan.name]: checkHookResult(out, plan.name, plan.shape) }, { strict: false });
      } finally {
        // the hook's result is ours even when it is refused, but only a tensor the engine counts:
        // disposing a look-alike would corrupt the live-tensor count
        made.dispose();
        if (isEngineTensor(out)) out.dispose();
      }
    }
    const unloaded = [...model.namedParameters()].filter(([, p]) => isUnloaded(p)).map(([n]) => n);
    if (unloaded.length > 0) throw new CheckpointError(`${basename(file)}: no checkpoint tensor was mapped to ${unloaded.join(', ')}`);
    model.eval();
    const storage = storageLabel(options.storage, fn);
    return { model, summary: { file, parameters: parameterCount(config), unusedKeys: layout.unused, sourceDtypes, storage } };
  } catch (e) {
    // a half-loaded model is unreachable for the caller: free what it holds
    if (model !== undefined) for (const p of model.parameters()) p.dispose();
    throw e;
  } finally {
    await src.close();
  }
}

/**
 * Loads a Hugging Face GPT-2 or GPT-Neo checkpoint: `path` is a folder holding `config.json` and
 * `model.safetensors`, sharded safetensors (`model.safetensors.index.json`), or `pytorch_model.bin`
 * (a torch.save zip, read by an allow-list unpickler that never executes code), or one of those files.
 * The model is returned in eval mode, `lm_head` tied to `wte` unless the config unties it.
 *
 * `path` may instead be a {@link CheckpointSource}, e.g. an in-memory state dict wrapped by
 * `checkpointFromStateDict` (the weights of an ONNX export); `cfg` is then required, and the source
 * is closed when loading ends. Either way the same checks run before any parameter is set.
 *
 * Parameters are read one at a time; F16 / BF16 / F64 tensors are widened (or narrowed) to float32
 * and stored as float32 row-major, unless `options.onWeight` stores each one otherwise as it arrives
 * (told the checkpoint's dtype, so `torch_dtype="auto"`-style loading keeps a BF16 checkpoint in
 * BF16; see {@link LoadGPT2Options}).
 *
 * @param cfg architecture; default read from `config.json` ({@link configFromPretrained})
 * @param options see {@link LoadGPT2Options}
 * @throws ConfigError (also: a CheckpointSource without `cfg`, or a `cfg` that is not a whole
 *   {@link GPT2Config}, e.g. a config.json object: the message lists the missing fields and points to
 *   `configFromJSON`), CheckpointError, PickleError,
 *   TensorLayoutError (a missing or mis-shaped tensor: the message names the key, the expected and
 *   the found shape; or `E_UNEXPECTED_TENSOR` listing the weights of layers past the config's
 *   `n_layer`: a config with fewer layers than the checkpoint is refused, not truncated),
 *   SafetensorsError, LoadOptionError (bad `options`; an `onWeight` result that is not a live
 *   float32 tensor of the parameter's shape, or is a Promise; a non-Error value thrown by `onWeight`;
 *   a `storage` function that returns no string), and whatever Error `onWeight` throws
 */
export async function loadGPT2(path: string, cfg?: GPT2Config, options?: LoadGPT2Options): Promise<GPT2LMHeadModel>;
export async function loadGPT2(source: CheckpointSource, cfg: GPT2Config, options?: LoadGPT2Options): Promise<GPT2LMHeadModel>;
export async function loadGPT2(from: GPT2Weights, cfg?: GPT2Config, options?: LoadGPT2Options): Promise<GPT2LMHeadModel> {
  const o = checkLoadOptions(options, 'loadGPT2');
  return (await load(from, cfg, o, 'loadGPT2')).model;
}

/**
 * {@link loadGPT2} (from a path, or from a {@link CheckpointSource} with a config) that also prints
 * one summary line, e.g. `gpt2: 12 layers, n_embd 768, 12 heads, 124,439,808 parameters (model.safetensors)`
 * (see {@link summaryLine}).
 *
 * @param log where the line goes (default `console.log`)
 * @param options see {@link LoadGPT2Options}
 */
export async function loadGPT2Verbose(path: string, cfg?: GPT2Config, log?: (line: string) => void, options?: LoadGPT2Options): Promise<GPT2LMHeadModel>;
export async function loadGPT2Verbose(source: CheckpointSource, cfg: GPT2Config, log?: (line: string) => void, options?: LoadGPT2Options): Promise<GPT2LMHeadModel>;
export async function loadGPT2Verbose(from: GPT2Weights, cfg?: GPT2Config, log: (line: string) => void = console.log, options?: LoadGPT2Options): Promise<GPT2LMHeadModel> {
  const o = checkLoadOptions(options, 'loadGPT2Verbose');
  const { model, summary } = await load(from, cfg, o, 'loadGPT2Verbose');
  log(summaryLine(model.hfConfig, summary));
  return model;
}

/**
 * The one-line description {@link loadGPT2Verbose} prints:
 * `<model_type>: <n> layers, n_embd <C>, <H> heads, <count> parameters (<file>[, <dtypes>][; <storage>][; <k> unused keys])`
 * (`1 layer`, `1 head`, `1 unused key` in the singular),
 * where `<dtypes>` lists the checkpoint's parameter dtypes, most elements first, only when they are
 * not all float32 (`model.safetensors, bfloat16`).
 */
export function summaryLine(cfg: GPT2Config, s: LoadSummary): string {
  const local = cfg.attentionLayers.filter((k) => k === 'local').length;
  const attn = local > 0 ? `, ${local} local (window ${cfg.windowSize})` : '';
  const dtypes = Object.entries(s.sourceDtypes ?? {}).sort((a, b) => b[1] - a[1]).map(([d]) => d);
  const dt = dtypes.length > 0 && !(dtypes.length === 1 && dtypes[0] === 'float32') ? `, ${dtypes.join(' + ')}` : '';
  const storage = s.storage ? `; ${s.storage}` : '';
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const unused = s.unusedKeys.length > 0 ? `; ${count(s.unusedKeys.length, 'unused key')}` : '';
  return `${cfg.modelType}: ${count(cfg.nLayer, 'layer')}${attn}, n_embd ${cfg.nEmbd}, ${count(cfg.nHead, 'head')}, ${s.parameters.toLocaleString('en-US')} parameters (${basename(s.file)}${dt}${storage}${unused})`;
}
