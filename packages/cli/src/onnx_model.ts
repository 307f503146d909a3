// GPT-2 from an ONNX export: its initializers (io-onnx) become a HF state dict that gpt2 loads.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { checkpointFromStateDict, configFromJSON, ConfigError, loadGPT2Verbose, type GPT2Config, type GPT2LMHeadModel, type LoadGPT2Options } from '@gorch/gpt2';
import { loadONNX, onnxToStateDict } from '@gorch/io-onnx';

// config.json fields that onnxruntime-genai's exporter may keep only in its `model` section
const GENAI_FIELDS = ['n_embd', 'n_head', 'n_layer', 'vocab_size'] as const;

/**
 * The architecture of an ONNX GPT-2 export, from the `config.json` beside the `.onnx` file. Besides a
 * plain Hugging Face config, this accepts the onnxruntime-genai layout (HF fields at the top level,
 * some of them only inside a `"model": {"type": "gpt2", "n_embd": ..., ...}` section): a top-level
 * field wins, `n_embd`, `n_head`, `n_layer`, `vocab_size` and `type` (as `model_type`) are taken from
 * `model` when the top level lacks them.
 *
 * @throws ConfigError (code `E_CONFIG`) naming the config file when it is missing, not JSON, or not a
 *   supported GPT-2 config
 */
export function onnxModelConfig(onnxFile: string): GPT2Config {
  const file = join(dirname(onnxFile), 'config.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: cannot read the config of ${basename(onnxFile)} (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`${file}: not a JSON object`);
  const top = json as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...top };
  const section = top.model;
  if (typeof section === 'object' && section !== null && !Array.isArray(section)) {
    const m = section as Record<string, unknown>;
    for (const k of GENAI_FIELDS) if (merged[k] === undefined && m[k] !== undefined) merged[k] = m[k];
    if (merged.model_type === undefined && typeof m.type === 'string') merged.model_type = m.type;
  }
  return configFromJSON(merged, file);
}

/**
 * Loads a GPT-2 whose weights are the initializers of an ONNX export with Hugging Face names (e.g.
 * onnxruntime-genai's `past.onnx`): io-onnx's `loadONNX` + `onnxToStateDict` (tensors the exporter
 * folded away are filled: LayerNorm weights with ones, biases with zeros), then gpt2's
 * `loadGPT2Verbose(checkpointFromStateDict(...), cfg)`. Eval mode, `lm_head` tied to `wte`.
 *
 * @param cfg architecture; default {@link onnxModelConfig}
 * @param log receives gpt2's summary line, and a line counting the filled tensors when there are any
 * @param options gpt2 load options (e.g. `onWeight` to store the weights half-width)
 * @throws ConfigError (also for a GPT-Neo config: only GPT-2 exports are mapped), ONNXError naming
 *   the file and a missing or mis-shaped initializer, gpt2's TensorLayoutError
 */
export async function loadONNXGPT2(onnxFile: string, cfg: GPT2Config = onnxModelConfig(onnxFile), log: (line: string) => void = () => {}, options?: LoadGPT2Options): Promise<GPT2LMHeadModel> {
  if (cfg.modelType !== 'gpt2') throw new ConfigError(`${onnxFile}: only GPT-2 ONNX exports can be loaded, the config says ${cfg.modelType}`);
  const name = basename(onnxFile);
  const { tensors, filled } = onnxToStateDict(
    loadONNX(onnxFile),
    { n_layer: cfg.nLayer, n_embd: cfg.nEmbd, vocab_size: cfg.vocabSize, n_positions: cfg.nPositions, n_inner: cfg.nInner },
    name,
  );
  if (filled.length > 0) log(`${name}: ${filled.length} tensors the exporter folded away set to ones (LayerNorm weights) / zeros (biases)`);
  return loadGPT2Verbose(checkpointFromStateDict(tensors, name), cfg, log, options);
}
