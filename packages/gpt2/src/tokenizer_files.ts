import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BPETokenizer, loadTokenizerJSON } from '@gorch/tokenizer';
import { CheckpointError } from './errors';

/**
 * Loads the tokenizer of a Hugging Face checkpoint folder: `vocab.json` + `merges.txt` (plus the
 * ids of `added_tokens.json`, e.g. `<|endoftext|>` = 306 for arcsf-cities), else `tokenizer.json`.
 * @throws CheckpointError when the folder has neither; the tokenizer's `TokenizerFileError` for a
 *   malformed file
 */
export async function loadGPT2Tokenizer(dir: string): Promise<BPETokenizer> {
  const vocabFile = join(dir, 'vocab.json');
  const mergesFile = join(dir, 'merges.txt');
  if (existsSync(vocabFile) && existsSync(mergesFile)) {
    const vocab = JSON.parse(readFileSync(vocabFile, 'utf8')) as Record<string, number>;
    const added = join(dir, 'added_tokens.json');
    if (existsSync(added)) Object.assign(vocab, JSON.parse(readFileSync(added, 'utf8')));
    return BPETokenizer.fromVocabAndMerges(vocab, readFileSync(mergesFile, 'utf8'), { vocabFile, mergesFile });
  }
  if (existsSync(join(dir, 'tokenizer.json'))) return loadTokenizerJSON(join(dir, 'tokenizer.json'));
  throw new CheckpointError(`${dir}: no vocab.json + merges.txt or tokenizer.json`);
}
