import { Command } from 'commander';
import { CliError } from '../errors';
import type { CliIO } from '../io';
import { loadTokenizer, resolveModel } from '../model_source';

interface TokenizeOptions {
  model?: string;
  revision?: string;
  tokenizer?: string;
  decode: boolean;
  json: boolean;
}

function parseIds(words: string[]): number[] {
  return words
    .join(' ')
    .split(/[\s,[\]]+/)
    .filter((w) => w !== '')
    .map((w) => {
      const n = Number(w);
      if (!Number.isInteger(n) || n < 0) throw new CliError(`--decode: "${w}" is not a token id`);
      return n;
    });
}

async function run(text: string[], o: TokenizeOptions, io: CliIO): Promise<void> {
  const source = await resolveModel(o.model, io, { revision: o.revision, tokenizer: o.tokenizer });
  const tok = await loadTokenizer(source);
  if (o.decode) {
    const out = tok.decode(parseIds(text));
    io.stdout.write(o.json ? `${JSON.stringify({ text: out })}\n` : `${out}\n`);
    return;
  }
  const ids = tok.encode(text.join(' '));
  const tokens = ids.map((id) => tok.decoder.get(id) ?? '');
  if (o.json) {
    io.stdout.write(`${JSON.stringify({ ids, tokens })}\n`);
    return;
  }
  io.stdout.write(`${ids.join(' ')}\n`);
  io.stderr.write(`${ids.length} tokens: ${tokens.map((t) => JSON.stringify(t)).join(' ')}\n`);
}

/**
 * `gorch tokenize TEXT...`: the token ids of the text (space-separated on stdout, the byte-level token
 * strings on stderr), or with `--decode IDS...` the text of the ids. `--json` prints one JSON object.
 */
export function tokenizeCommand(io: CliIO): Command {
  return new Command('tokenize')
    .description("encode text with a model's tokenizer (or --decode ids)")
    .argument('<text...>', 'text to encode (words are joined by single spaces), or ids with --decode')
    .option('-m, --model <dir|hf-id>', 'model folder or Hugging Face id; default: the embedded model')
    .option('--revision <rev>', 'branch, tag or commit of a Hugging Face model', 'main')
    .option('--tokenizer <dir>', "folder with the tokenizer files, if not the model's")
    .option('-d, --decode', 'decode token ids to text', false)
    .option('--json', 'print JSON', false)
    .action((text: string[], o: TokenizeOptions) => run(text, o, io));
}
