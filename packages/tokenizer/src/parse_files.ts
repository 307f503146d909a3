import { TokenizerFileError } from './errors';
import type { AddedToken } from './model_data';

function lineAt(text: string, index: number): number | undefined {
  if (index < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function parseJSON(text: string, file: string): unknown {
  if (text.trim() === '') throw new TokenizerFileError(file, undefined, 'file is empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    const detail = (err as Error).message;
    const pos = /position (\d+)/.exec(detail);
    throw new TokenizerFileError(file, pos ? lineAt(text, Number(pos[1])) : undefined, `malformed JSON: ${detail}`);
  }
}

/**
 * Parses a vocab.json (token → id object). Throws {@link TokenizerFileError} naming `file` (and the
 * line) for an empty file, malformed JSON, a non-object, an id that is not a non-negative integer,
 * or two tokens sharing an id.
 */
export function parseVocab(source: string | Record<string, unknown>, file: string): Map<string, number> {
  const text = typeof source === 'string' ? source : '';
  const json = typeof source === 'string' ? parseJSON(source, file) : source;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new TokenizerFileError(file, 1, 'vocabulary must be a JSON object of token → id');
  }
  const vocab = new Map<string, number>();
  const owner = new Map<number, string>();
  // Lines are looked up only for an error: searching for every token would be quadratic.
  const lineOf = (token: string): number | undefined => (text ? lineAt(text, text.indexOf(JSON.stringify(token))) : undefined);
  for (const [token, id] of Object.entries(json)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= 2 ** 24) {
      throw new TokenizerFileError(file, lineOf(token), `token ${JSON.stringify(token)} has id ${JSON.stringify(id)}, not an integer in [0, 2^24)`);
    }
    const prior = owner.get(id);
    if (prior !== undefined) {
      throw new TokenizerFileError(file, lineOf(token), `tokens ${JSON.stringify(prior)} and ${JSON.stringify(token)} share id ${id}`);
    }
    owner.set(id, token);
    vocab.set(token, id);
  }
  if (vocab.size === 0) throw new TokenizerFileError(file, undefined, 'vocabulary is empty');
  return vocab;
}

/**
 * Parses merges.txt: an optional `#version` first line, then one `left right` pair per line, in
 * rank order; blank lines are skipped. Throws {@link TokenizerFileError} for an empty file or a line
 * that is not exactly two space-separated tokens.
 */
export function parseMerges(text: string, file: string): { a: string; b: string; line: number }[] {
  if (text.length === 0) throw new TokenizerFileError(file, undefined, 'file is empty');
  const lines = text.split('\n');
  const merges: { a: string; b: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '' || (i === 0 && line.startsWith('#version'))) continue;
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new TokenizerFileError(file, i + 1, `expected two tokens separated by one space, got ${JSON.stringify(line)}`);
    }
    merges.push({ a: parts[0]!, b: parts[1]!, line: i + 1 });
  }
  return merges;
}

/** What {@link parseTokenizerJSON} extracts from a Hugging Face tokenizer.json. */
export interface TokenizerJSONParts {
  vocab: Map<string, number>;
  merges: { a: string; b: string; line: number }[];
  added: AddedToken[];
  addPrefixSpace: boolean;
}

function findByteLevel(node: any): any {
  if (!node || typeof node !== 'object') return undefined;
  if (node.type === 'ByteLevel') return node;
  if (node.type === 'Sequence' && Array.isArray(node.pretokenizers)) {
    return node.pretokenizers.length === 1 ? findByteLevel(node.pretokenizers[0]) : undefined;
  }
  return undefined;
}

/**
 * Reads a Hugging Face tokenizer.json whose model is BPE over a ByteLevel pre-tokenizer (GPT-2,
 * RoBERTa style). Throws {@link TokenizerFileError} naming `file` for anything else: another model
 * type, a word prefix/suffix, a normalizer, malformed merges. Merge "lines" are 1-based indices
 * into `model.merges`.
 */
export function parseTokenizerJSON(source: string | Record<string, unknown>, file: string): TokenizerJSONParts {
  const json: any = typeof source === 'string' ? parseJSON(source, file) : source;
  const model = json?.model;
  if (!model || model.type !== 'BPE') {
    throw new TokenizerFileError(file, undefined, `model.type must be "BPE", got ${JSON.stringify(model?.type)}`);
  }
  const byteLevel = findByteLevel(json.pre_tokenizer);
  if (!byteLevel || byteLevel.use_regex === false) {
    throw new TokenizerFileError(file, undefined, 'pre_tokenizer must be ByteLevel with use_regex (GPT-2 style)');
  }
  if (json.normalizer) throw new TokenizerFileError(file, undefined, `normalizer ${JSON.stringify(json.normalizer.type)} is not supported`);
  if (model.continuing_subword_prefix || model.end_of_word_suffix) {
    throw new TokenizerFileError(file, undefined, 'continuing_subword_prefix / end_of_word_suffix are not supported');
  }
  const vocab = parseVocab(model.vocab, `${file} (model.vocab)`);
  if (!Array.isArray(model.merges)) throw new TokenizerFileError(file, undefined, 'model.merges must be an array');
  const merges = model.merges.map((m: unknown, i: number) => {
    const parts = typeof m === 'string' ? m.split(' ') : m;
    if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string' || typeof parts[1] !== 'string' || !parts[0] || !parts[1]) {
      throw new TokenizerFileError(`${file} (model.merges)`, i + 1, `expected two tokens, got ${JSON.stringify(m)}`);
    }
    return { a: parts[0], b: parts[1], line: i + 1 };
  });
  const added: AddedToken[] = [];
  for (const t of json.added_tokens ?? []) {
    if (typeof t?.content !== 'string' || !Number.isInteger(t?.id) || t.id < 0) {
      throw new TokenizerFileError(`${file} (added_tokens)`, undefined, `bad added token ${JSON.stringify(t)}`);
    }
    added.push({ id: t.id, content: t.content, special: t.special !== false });
  }
  return { vocab, merges, added, addPrefixSpace: byteLevel.add_prefix_space === true };
}
