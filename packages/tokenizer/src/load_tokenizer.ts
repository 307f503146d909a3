import { BPETokenizer, type VocabMergesOptions } from './bpe_tokenizer';
import { TokenizerFileError } from './errors';

async function readText(path: string): Promise<string> {
  const fsModule = 'node:fs/promises';
  const { readFile } = await import(/* @vite-ignore */ fsModule);
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new TokenizerFileError(path, undefined, `cannot read: ${(err as Error).message}`);
  }
}

/**
 * Loads a GPT-2 style tokenizer from `vocab.json` and `merges.txt` on disk (Node only; in a browser
 * fetch the texts and call {@link BPETokenizer.fromVocabAndMerges}). Throws `TokenizerFileError`
 * naming the file (and line) that is missing, empty or malformed.
 */
export async function loadTokenizer(vocabPath: string, mergesPath: string, options: Omit<VocabMergesOptions, 'vocabFile' | 'mergesFile'> = {}): Promise<BPETokenizer> {
  const [vocab, merges] = await Promise.all([readText(vocabPath), readText(mergesPath)]);
  return BPETokenizer.fromVocabAndMerges(vocab, merges, { ...options, vocabFile: vocabPath, mergesFile: mergesPath });
}

/** Loads a Hugging Face tokenizer.json from disk (Node only). See {@link BPETokenizer.fromTokenizerJSON}. */
export async function loadTokenizerJSON(path: string): Promise<BPETokenizer> {
  return BPETokenizer.fromTokenizerJSON(await readText(path), path);
}
