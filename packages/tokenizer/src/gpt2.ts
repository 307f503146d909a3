/**
 * `@gorch/tokenizer/gpt2`: OpenAI's GPT-2 tokenizer with its data bundled, no files needed. The
 * data (≈ 270 KB of source) is a separate module imported on the first call, so importing this
 * entry costs nothing until a tokenizer is asked for.
 */
import { base64ToBytes } from './base64';
import { BPETokenizer } from './bpe_tokenizer';
import type { BPEModelData } from './model_data';

let pending: Promise<BPETokenizer> | undefined;

/**
 * The GPT-2 tokenizer (`openai-community/gpt2`, 50257 ids, `<|endoftext|>` = 50256), built once and
 * shared by every caller. Data: OpenAI's vocab.json + merges.txt, Modified MIT License.
 */
export function loadGPT2Tokenizer(): Promise<BPETokenizer> {
  pending ??= import('./generated/gpt2_data').then((d) => new BPETokenizer(gpt2ModelData(d)));
  return pending;
}

interface CompactGPT2 {
  BYTE_IDS: readonly number[];
  MERGE_PAIRS_BASE64: string;
  MERGE_COUNT: number;
  SPECIAL_TOKENS: readonly (readonly [string, number])[];
}

function gpt2ModelData(d: CompactGPT2): BPEModelData {
  const raw = base64ToBytes(d.MERGE_PAIRS_BASE64);
  const count = d.MERGE_COUNT;
  const firstMerged = 256;
  const special = d.SPECIAL_TOKENS.map(([content, id]) => ({ content, id, bytes: new TextEncoder().encode(content) }));
  const vocabSize = Math.max(firstMerged + count, ...special.map((s) => s.id + 1));
  const merges = new Int32Array(count * 3);
  const offsets = new Int32Array(vocabSize + 1);
  const starts = new Int32Array(vocabSize);
  const lengths = new Int32Array(vocabSize);
  const byteIds = Int32Array.from(d.BYTE_IDS);
  // Lay out every token's bytes: the 256 single bytes, then each merge as the copy of its parts.
  let total = 256;
  for (let r = 0; r < count; r++) {
    const a = raw[4 * r]! | (raw[4 * r + 1]! << 8);
    const b = raw[4 * r + 2]! | (raw[4 * r + 3]! << 8);
    merges[3 * r] = a;
    merges[3 * r + 1] = b;
    merges[3 * r + 2] = firstMerged + r;
  }
  for (let b = 0; b < 256; b++) lengths[byteIds[b]!] = 1;
  for (let r = 0; r < count; r++) {
    const len = lengths[merges[3 * r]!]! + lengths[merges[3 * r + 1]!]!;
    lengths[firstMerged + r] = len;
    total += len;
  }
  for (const s of special) {
    lengths[s.id] = s.bytes.length;
    total += s.bytes.length;
  }
  const tokenBytes = new Uint8Array(total);
  const present = new Uint8Array(vocabSize);
  let at = 0;
  for (let id = 0; id < vocabSize; id++) {
    offsets[id] = starts[id] = at;
    at += lengths[id]!;
  }
  offsets[vocabSize] = at;
  for (let b = 0; b < 256; b++) {
    tokenBytes[starts[byteIds[b]!]!] = b;
    present[byteIds[b]!] = 1;
  }
  for (let r = 0; r < count; r++) {
    const a = merges[3 * r]!;
    const b = merges[3 * r + 1]!;
    const dst = starts[firstMerged + r]!;
    tokenBytes.copyWithin(dst, starts[a]!, starts[a]! + lengths[a]!);
    tokenBytes.copyWithin(dst + lengths[a]!, starts[b]!, starts[b]! + lengths[b]!);
    present[firstMerged + r] = 1;
  }
  for (const s of special) {
    tokenBytes.set(s.bytes, starts[s.id]!);
    present[s.id] = 1;
  }
  return {
    vocabSize,
    tokenBytes,
    offsets,
    present,
    byteIds,
    merges,
    added: special.map((s) => ({ id: s.id, content: s.content, special: true })),
  };
}

export { BPETokenizer };
