import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tensor, type Tensor } from '@gorch/tensor';
import { findWeights, openCheckpoint, type CheckpointSource } from './checkpoint';
import { configFromJSON, parameterCount, type GPT2Config } from './config';
import { ConfigError } from './errors';
import type { HostTensor } from './host_tensor';
import { checkSources, floatTensor, planLayout } from './layout';
import { GPT2LMHeadModel } from './model';

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
}

/** Where {@link loadGPT2} takes weights from: a checkpoint folder or file, or an opened / in-memory source. */
export type GPT2Weights = string | CheckpointSource;

async function open(from: GPT2Weights, cfg: GPT2Config | undefined): Promise<{ src: CheckpointSource; config: GPT2Config }> {
  if (typeof from !== 'string') {
    if (cfg === undefined) {
      await from.close();
      throw new ConfigError(`${from.file}: loading from a CheckpointSource needs a GPT2Config (there is no config.json to read)`);
    }
    return { src: from, config: cfg };
  }
  const { dir, file } = findWeights(from);
  const config = cfg ?? configFromPretrained(dir);
  return { src: await openCheckpoint(file), config };
}

async function load(from: GPT2Weights, cfg: GPT2Config | undefined): Promise<{ model: GPT2LMHeadModel; summary: LoadSummary }> {
  const { src, config } = await open(from, cfg);
  const file = src.file;
  try {
    const layout = planLayout(config, src.keys());
    // every key and shape is checked from the header / pickle before any tensor data is read
    checkSources(layout, (k) => src.shape(k), basename(file));
    const model = new GPT2LMHeadModel(config, { init: 'none' });
    // one parameter at a time: peak memory is the model plus one tensor, not two copies of the file
    for (const plan of layout.plans) {
      const parts: HostTensor[] = [];
      for (const s of plan.sources) parts.push(floatTensor(await src.read(s.key), s.key, basename(file)));
      const host = plan.build(parts);
      const t: Tensor = tensor(host.data, { shape: host.shape });
      try {
        model.loadStateDict({ [plan.name]: t }, { strict: false });
      } finally {
        t.dispose();
      }
    }
    model.eval();
    return { model, summary: { file, parameters: parameterCount(config), unusedKeys: layout.unused } };
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
 * @param cfg architecture; default read from `config.json` ({@link configFromPretrained})
 * @throws ConfigError (also: a CheckpointSource without `cfg`), CheckpointError, PickleError,
 *   TensorLayoutError (a missing or mis-shaped tensor: the message names the key, the expected and
 *   the found shape; or `E_UNEXPECTED_TENSOR` listing the weights of layers past the config's
 *   `n_layer`: a config with fewer layers than the checkpoint is refused, not truncated), SafetensorsError
 */
export async function loadGPT2(path: string, cfg?: GPT2Config): Promise<GPT2LMHeadModel>;
export async function loadGPT2(source: CheckpointSource, cfg: GPT2Config): Promise<GPT2LMHeadModel>;
export async function loadGPT2(from: GPT2Weights, cfg?: GPT2Config): Promise<GPT2LMHeadModel> {
  return (await load(from, cfg)).model;
}

/**
 * {@link loadGPT2} (from a path, or from a {@link CheckpointSource} with a config) that also prints
 * one summary line, e.g. `gpt2: 12 layers, n_embd 768, 12 heads, 124,439,808 parameters (model.safetensors)`.
 *
 * @param log where the line goes (default `console.log`)
 */
export async function loadGPT2Verbose(path: string, cfg?: GPT2Config, log?: (line: string) => void): Promise<GPT2LMHeadModel>;
export async function loadGPT2Verbose(source: CheckpointSource, cfg: GPT2Config, log?: (line: string) => void): Promise<GPT2LMHeadModel>;
export async function loadGPT2Verbose(from: GPT2Weights, cfg?: GPT2Config, log: (line: string) => void = console.log): Promise<GPT2LMHeadModel> {
  const { model, summary } = await load(from, cfg);
  log(summaryLine(model.hfConfig, summary));
  return model;
}

/** The one-line description {@link loadGPT2Verbose} prints. */
export function summaryLine(cfg: GPT2Config, s: LoadSummary): string {
  const local = cfg.attentionLayers.filter((k) => k === 'local').length;
  const attn = local > 0 ? `, ${local} local (window ${cfg.windowSize})` : '';
  const unused = s.unusedKeys.length > 0 ? `; ${s.unusedKeys.length} unused keys` : '';
  return `${cfg.modelType}: ${cfg.nLayer} layers${attn}, n_embd ${cfg.nEmbd}, ${cfg.nHead} heads, ${s.parameters.toLocaleString('en-US')} parameters (${basename(s.file)}${unused})`;
}
