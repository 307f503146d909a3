import { Command, Option } from 'commander';
import { DEFAULT_PROMPT, streamText, validateGenerateConfig, type GenerateConfig } from '@gorch/gpt2';
import { getBackendName } from '@gorch/tensor';
import { CliError } from '../errors';
import type { CliIO } from '../io';
import { loadModelAndTokenizer, resolveModel } from '../model_source';
import { intArg, numberArg } from '../parse';
import { DTYPES, weightStorage } from '../weight_storage';

/**
 * New tokens when `--max-new-tokens` is not given. The embedded model was trained on single
 * sentences and, after one, keeps repeating its last word, so it gets the length of its trained
 * answer to the default prompt (" the capital of france is paris" = 12 tokens, spaces being tokens
 * of their own); any other model gets 50.
 */
export const EMBEDDED_MAX_NEW_TOKENS = 12;
export const DEFAULT_MAX_NEW_TOKENS = 50;

interface GenerateOptions {
  model?: string;
  revision?: string;
  tokenizer?: string;
  prompt: string;
  maxNewTokens?: number;
  temperature: number;
  topK: number;
  topP: number;
  seed?: number;
  kvCache: boolean;
  dtype: string;
}

async function run(o: GenerateOptions, io: CliIO): Promise<void> {
  if (o.prompt === '') throw new CliError('--prompt: the prompt is empty');
  // checked before anything is downloaded or read
  const storage = weightStorage(o.dtype, getBackendName());
  const source = await resolveModel(o.model, io, { revision: o.revision, tokenizer: o.tokenizer });
  const [model, tokenizer] = await loadModelAndTokenizer(source, (line) => io.stderr.write(`${line}\n`), storage);
  const cfg: GenerateConfig = {
    maxNewTokens: o.maxNewTokens ?? (source.embedded ? EMBEDDED_MAX_NEW_TOKENS : DEFAULT_MAX_NEW_TOKENS),
    temperature: o.temperature,
    topK: o.topK,
    topP: o.topP >= 1 ? 0 : o.topP,
    stopToken: model.hfConfig.eosTokenId ?? -1,
    useKVCache: o.kvCache,
    seed: o.seed,
  };
  validateGenerateConfig(cfg);
  io.stdout.write(o.prompt);
  for await (const piece of streamText(model, tokenizer, o.prompt, cfg)) io.stdout.write(piece);
  io.stdout.write('\n');
}

/**
 * `gorch generate`: prints the prompt, then streams the continuation as it is generated. Greedy by
 * default (Hugging Face `generate` without `do_sample`); `--temperature > 0` samples, with top-k 50
 * (HF's sampling default) and top-p off unless given. Stops early at the model's `eos_token_id`.
 * `--dtype` (default `auto`) chooses how the weight matrices are stored (see `weightStorage`).
 */
export function generateCommand(io: CliIO): Command {
  return new Command('generate')
    .description('generate text; without --model, the embedded arcsf-cities model answers "what is the capital of france?"')
    .option('-m, --model <dir|hf-id>', 'model folder, weights file, .onnx export (config.json beside it), or Hugging Face id (downloaded to the HF cache); default: the embedded model')
    .option('--revision <rev>', 'branch, tag or commit of a Hugging Face model', 'main')
    .option('--tokenizer <dir>', "folder with the tokenizer files, if not the model's (e.g. for an .onnx export)")
    .option('-p, --prompt <text>', 'text to continue', DEFAULT_PROMPT)
    .option('-n, --max-new-tokens <n>', `tokens to generate (default ${EMBEDDED_MAX_NEW_TOKENS} for the embedded model, ${DEFAULT_MAX_NEW_TOKENS} otherwise)`, intArg(0))
    .option('-t, --temperature <t>', 'sampling temperature; 0 = greedy', numberArg(0), 0)
    .option('--top-k <k>', 'keep the k most likely tokens when sampling; 0 = off', intArg(0), 50)
    .option('--top-p <p>', 'nucleus sampling threshold; 1 = off', numberArg(0, 1), 1)
    .option('--seed <n>', 'seed for reproducible sampling', intArg(0))
    .option('--no-kv-cache', 'recompute the whole context for every token')
    .addOption(
      new Option('--dtype <dtype>', "storage of the weight matrices (HF torch_dtype): auto keeps the checkpoint's dtype (wasm backend; js: float32); bfloat16 / float16 need --backend wasm")
        .choices(DTYPES)
        .default('auto'),
    )
    .action((o: GenerateOptions) => run(o, io));
}
