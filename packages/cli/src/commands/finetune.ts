import { copyFileSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { fineTune, saveGPT2, type GPT2LMHeadModel } from '@gorch/gpt2';
import { AdamW } from '@gorch/optim';
import { CliError } from '../errors';
import type { CliIO } from '../io';
import { loadModelAndTokenizer, resolveModel } from '../model_source';
import { intArg, numberArg } from '../parse';
import { stepProgress } from '../progress';

/** Tokenizer files copied next to the fine-tuned weights from the tokenizer folder, when it has them. */
const TOKENIZER_FILES = ['vocab.json', 'merges.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'added_tokens.json'];
/** Copied from the model folder. */
const MODEL_FILES = ['generation_config.json'];

interface FinetuneOptions {
  model?: string;
  revision?: string;
  tokenizer?: string;
  data: string;
  steps: number;
  out: string;
  lr: number;
  weightDecay: number;
}

/**
 * The training sequences of a text file: one per non-empty line, tokenized, each cut into windows of
 * at most `nPositions + 1` tokens (a causal LM over n positions scores n + 1 tokens).
 * @throws CliError when the file is missing or has no line of at least 2 tokens
 */
export function readSequences(file: string, encode: (text: string) => number[], nPositions: number): number[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`--data ${file}: ${(e as Error).message}`);
  }
  const out: number[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const ids = encode(line.trim());
    for (let i = 0; i < ids.length - 1; i += nPositions) out.push(ids.slice(i, i + nPositions + 1));
  }
  const usable = out.filter((s) => s.length >= 2);
  if (usable.length === 0) throw new CliError(`--data ${file}: no line of at least 2 tokens to train on`);
  return usable;
}

function copyAtomic(from: string, to: string): void {
  const tmp = `${to}.${process.pid}.tmp`;
  copyFileSync(from, tmp);
  renameSync(tmp, to);
}

/**
 * Refuses an `--out` that cannot become a folder (an existing file, or a path under one) before
 * any training time is spent.
 * @throws CliError naming `--out`
 */
export function checkOutFolder(out: string): void {
  let p = resolve(out);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  if (existsSync(p) && !statSync(p).isDirectory()) {
    throw new CliError(`--out ${JSON.stringify(out)}: ${p === resolve(out) ? 'exists and is not a folder' : `${p} is a file, not a folder`}`);
  }
}

async function run(o: FinetuneOptions, io: CliIO): Promise<void> {
  checkOutFolder(o.out);
  const source = await resolveModel(o.model, io, { revision: o.revision, tokenizer: o.tokenizer });
  const [model, tok] = await loadModelAndTokenizer(source);
  const sequences = readSequences(o.data, (t) => tok.encode(t), model.hfConfig.nPositions);
  io.stderr.write(`fine-tuning on ${sequences.length} sequences (${sequences.reduce((s, q) => s + q.length, 0)} tokens), ${o.steps} AdamW steps, lr ${o.lr}\n`);
  const optimizer = new AdamW(model.parameters(), { lr: o.lr, weightDecay: o.weightDecay });
  const progress = stepProgress(io.stderr, o.steps);
  let losses: number[];
  try {
    losses = fineTune(model as GPT2LMHeadModel, sequences, optimizer, { steps: o.steps, onStep: (step, loss) => progress.update(step, loss) });
  } finally {
    progress.stop();
  }
  await saveGPT2(model, o.out);
  for (const f of TOKENIZER_FILES) if (existsSync(join(source.tokenizerDir, f))) copyAtomic(join(source.tokenizerDir, f), join(o.out, f));
  for (const f of MODEL_FILES) if (existsSync(join(source.dir, f))) copyAtomic(join(source.dir, f), join(o.out, f));
  const first = losses[0];
  const last = losses.at(-1);
  io.stdout.write(`${o.out}\n`);
  if (first !== undefined && last !== undefined) io.stderr.write(`loss ${first.toFixed(4)} -> ${last.toFixed(4)}\n`);
}

/**
 * `gorch finetune --data FILE.txt --steps N --out DIR`: full-batch AdamW on the causal LM loss of the
 * file's lines (gpt2's `fineTune` / `causalLMLoss`), then saves a Hugging Face folder (config.json,
 * model.safetensors and the tokenizer files) that `gorch generate --model DIR` loads.
 */
export function finetuneCommand(io: CliIO): Command {
  return new Command('finetune')
    .description('fine-tune a model on the lines of a text file and save it as a Hugging Face folder')
    .requiredOption('--data <file>', 'text file; each non-empty line is one training sequence')
    .requiredOption('--steps <n>', 'optimizer steps (each over the whole file)', intArg(0))
    .requiredOption('--out <dir>', 'folder to write config.json, model.safetensors and tokenizer files to')
    .option('-m, --model <dir|hf-id>', 'model folder, weights file, .onnx export, or Hugging Face id; default: the embedded model')
    .option('--revision <rev>', 'branch, tag or commit of a Hugging Face model', 'main')
    .option('--tokenizer <dir>', "folder with the tokenizer files, if not the model's (e.g. for an .onnx export)")
    .option('--lr <rate>', 'AdamW learning rate', numberArg(0), 1e-3)
    .option('--weight-decay <w>', 'AdamW weight decay', numberArg(0), 0.01)
    .action((o: FinetuneOptions) => run(o, io));
}
