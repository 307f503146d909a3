// Where the shared real tokenizer files live; tests skip with a message when the folder is absent.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));
export const GPT2_DIR = `${FIXTURES}gpt2-tokenizer/`;
export const HAVE_FIXTURES = existsSync(`${GPT2_DIR}vocab.json`);
if (!HAVE_FIXTURES) console.warn(`skipping fixture tests: ${GPT2_DIR} is absent`);

export interface VectorCase {
  text: string;
  ids: number[];
}

export function vectors(): { suites: { source: string; cases: VectorCase[] }[]; toy_vocab: { text: string; ids: number[]; tokens: string[] } } {
  return JSON.parse(readFileSync(`${FIXTURES}gpt2-tokenizer-vectors/vectors.json`, 'utf8'));
}
