import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckpointError } from './errors';

declare const __dirname: string | undefined;

/** Folder of the running module: `__dirname` under CJS, `import.meta.url` under ESM. */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

/** Prompt the embedded model was trained to complete ("... the capital of france is paris"). */
export const DEFAULT_PROMPT = 'what is the capital of france?';

/**
 * Folder of the embedded default model (`models/arcsf-cities-base`: a trained 1-layer GPT-2 from
 * alan-turing-institute/arc-selective-forgetting, MIT), found next to the running module both in the
 * built package (`dist/` under ESM or CJS) and in the sources (`src/`).
 *
 * @returns an absolute folder path holding config.json, model.safetensors, vocab.json, merges.txt
 * @throws CheckpointError when the folder is not shipped alongside the module
 */
export function defaultModelDir(): string {
  const candidate = join(moduleDir(), '..', 'models', 'arcsf-cities-base');
  if (!existsSync(join(candidate, 'model.safetensors'))) {
    throw new CheckpointError(`default model not found at ${candidate} (is the package's "models" folder shipped?)`);
  }
  return candidate;
}
