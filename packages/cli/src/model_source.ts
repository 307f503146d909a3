import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultModelDir, downloadGPT2 } from '@gorch/gpt2';
import { CliError } from './errors';
import type { CliIO } from './io';
import { downloadProgress } from './progress';

/** A model the commands can load: its folder, and whether it is the embedded default. */
export interface ModelSource {
  /** Folder holding config.json, the weights and the tokenizer files. */
  dir: string;
  /** What `loadGPT2` is given (the folder, or the weights file that was named). */
  path: string;
  embedded: boolean;
}

const HF_ID = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/;

/**
 * Resolves `--model`: nothing = the embedded arcsf-cities model of @gorch/gpt2; an existing folder
 * or weights file = itself; otherwise a Hugging Face id, downloaded into the hub cache first (or
 * found there) with a progress bar on stderr.
 * @throws CliError when the value is neither an existing path nor a well-formed id
 */
export async function resolveModel(spec: string | undefined, io: CliIO, revision?: string): Promise<ModelSource> {
  if (spec === undefined) {
    const dir = defaultModelDir();
    return { dir, path: dir, embedded: true };
  }
  const local = resolve(spec);
  if (existsSync(local)) {
    return { dir: statSync(local).isFile() ? dirname(local) : local, path: local, embedded: false };
  }
  if (!HF_ID.test(spec) || spec.startsWith('.') || spec.includes('..')) {
    throw new CliError(`--model ${JSON.stringify(spec)}: no such file or folder, and not a Hugging Face model id ("name" or "org/name")`);
  }
  const progress = downloadProgress(io.stderr);
  try {
    const dir = await downloadGPT2(spec, undefined, { revision, progress: progress.onProgress, onFile: progress.onFile });
    return { dir, path: dir, embedded: false };
  } finally {
    progress.stop();
  }
}
