import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CheckpointError, defaultModelDir, downloadGPT2, loadGPT2Tokenizer, loadGPT2Verbose, type GPT2LMHeadModel, type LoadGPT2Options } from '@gorch/gpt2';
import type { BPETokenizer } from '@gorch/tokenizer';
import { CliError } from './errors';
import type { CliIO } from './io';
import { loadONNXGPT2 } from './onnx_model';
import { downloadProgress } from './progress';

/** A model the commands can load: where its weights, config and tokenizer are. */
export interface ModelSource {
  /** Folder holding config.json (and, unless `--tokenizer` names another, the tokenizer files). */
  dir: string;
  /** The weights: a Hugging Face folder or weights file, or an `.onnx` file. */
  path: string;
  /** `'onnx'`: `path` is an ONNX export whose initializers are the weights. */
  format: 'checkpoint' | 'onnx';
  /** Folder of the tokenizer files (`--tokenizer`, else `dir`). */
  tokenizerDir: string;
  embedded: boolean;
}

/** Options of {@link resolveModel}. */
export interface ResolveOptions {
  /** Branch, tag or commit of a Hugging Face id. */
  revision?: string;
  /** `--tokenizer`: a folder with vocab.json + merges.txt or tokenizer.json, instead of the model's. */
  tokenizer?: string;
}

const HF_ID = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/;
const isONNX = (path: string) => path.toLowerCase().endsWith('.onnx');

/** File names `--model` accepts (gpt2's `openCheckpoint` kinds, and ONNX exports). */
export const MODEL_FILE_KINDS = ['.safetensors', '.safetensors.index.json', '.bin', '.bin.index.json', '.onnx'] as const;
const isModelFile = (path: string) => MODEL_FILE_KINDS.some((ext) => path.toLowerCase().endsWith(ext));

function tokenizerFolder(option: string): string {
  const t = resolve(option);
  if (!existsSync(t) || !statSync(t).isDirectory()) throw new CliError(`--tokenizer ${JSON.stringify(option)}: no such folder`);
  return t;
}

async function locate(spec: string | undefined, io: CliIO, revision: string | undefined): Promise<Omit<ModelSource, 'tokenizerDir'>> {
  if (spec === undefined) {
    const dir = defaultModelDir();
    return { dir, path: dir, format: 'checkpoint', embedded: true };
  }
  const local = resolve(spec);
  if (existsSync(local)) {
    const isFile = statSync(local).isFile();
    if (isFile && !isModelFile(local)) {
      throw new CliError(`--model ${JSON.stringify(spec)}: not a weights file gorch can read (pass a checkpoint folder, or a ${MODEL_FILE_KINDS.map((e) => `*${e}`).join(', ')} file)`);
    }
    return { dir: isFile ? dirname(local) : local, path: local, format: isFile && isONNX(local) ? 'onnx' : 'checkpoint', embedded: false };
  }
  if (!HF_ID.test(spec) || spec.startsWith('.') || spec.includes('..') || isONNX(spec)) {
    throw new CliError(`--model ${JSON.stringify(spec)}: no such file or folder, and not a Hugging Face model id ("name" or "org/name")`);
  }
  const progress = downloadProgress(io.stderr);
  try {
    const dir = await downloadGPT2(spec, undefined, { revision, progress: progress.onProgress, onFile: progress.onFile });
    return { dir, path: dir, format: 'checkpoint', embedded: false };
  } finally {
    progress.stop();
  }
}

/**
 * Resolves `--model` (and `--tokenizer`): nothing = the embedded arcsf-cities model of @gorch/gpt2;
 * an existing folder or weights file = itself; an existing `.onnx` file = an ONNX export whose
 * config.json is beside it; otherwise a Hugging Face id, downloaded into the hub cache first (or
 * found there) with a progress bar on stderr.
 * @throws CliError when the value is neither an existing path nor a well-formed id, is a file whose
 *   name is none of {@link MODEL_FILE_KINDS}, or `--tokenizer` is not a folder
 */
export async function resolveModel(spec: string | undefined, io: CliIO, options: ResolveOptions = {}): Promise<ModelSource> {
  // checked first: a bad --tokenizer should not cost a download
  const tokDir = options.tokenizer === undefined ? undefined : tokenizerFolder(options.tokenizer);
  const found = await locate(spec, io, options.revision);
  return { ...found, tokenizerDir: tokDir ?? found.dir };
}

/**
 * Loads the model of a {@link ModelSource} (gpt2's `loadGPT2Verbose`, or {@link loadONNXGPT2} for an
 * `.onnx` file), in eval mode.
 * @param log receives the one-line model summary (and ONNX notes)
 * @param options gpt2 load options, e.g. {@link weightStorage}'s (default: float32 row-major weights)
 */
export function loadModel(source: ModelSource, log: (line: string) => void = () => {}, options?: LoadGPT2Options): Promise<GPT2LMHeadModel> {
  return source.format === 'onnx' ? loadONNXGPT2(source.path, undefined, log, options) : loadGPT2Verbose(source.path, undefined, log, options);
}

/**
 * {@link loadModel} and {@link loadTokenizer} side by side; when both fail, the model's error is the
 * one thrown (a bad weights file explains a missing tokenizer beside it, not the other way round).
 */
export async function loadModelAndTokenizer(source: ModelSource, log?: (line: string) => void, options?: LoadGPT2Options): Promise<[GPT2LMHeadModel, BPETokenizer]> {
  const [model, tok] = await Promise.allSettled([loadModel(source, log, options), loadTokenizer(source)]);
  if (model.status === 'rejected') throw model.reason;
  if (tok.status === 'rejected') throw tok.reason;
  return [model.value, tok.value];
}

/**
 * The tokenizer of a {@link ModelSource}, from its `tokenizerDir`.
 * @throws CliError naming the folder and `--tokenizer` when it has no tokenizer files
 */
export async function loadTokenizer(source: ModelSource): Promise<BPETokenizer> {
  try {
    return await loadGPT2Tokenizer(source.tokenizerDir);
  } catch (e) {
    if (e instanceof CheckpointError) {
      throw new CliError(`${source.tokenizerDir}: no vocab.json + merges.txt or tokenizer.json here; pass --tokenizer DIR (a folder that has them)`);
    }
    throw e;
  }
}
