import { bytesToUnicode } from './byte_level';
import { TokenizerFileError } from './errors';

/** A token that is matched in the raw text before pre-tokenization (Hugging Face "added token"). */
export interface AddedToken {
  id: number;
  content: string;
  /** Special tokens (`<|endoftext|>`) are matched only when `encode` allows them; others always. */
  special: boolean;
}

/**
 * Everything a {@link BPETokenizer} is made of, as flat arrays that copy cheaply to a worker
 * thread. Token `id`'s bytes are `tokenBytes[offsets[id] .. offsets[id + 1])`.
 */
export interface BPEModelData {
  vocabSize: number;
  tokenBytes: Uint8Array;
  /** Length `vocabSize + 1`. */
  offsets: Int32Array;
  /** 1 where the id exists (a vocabulary may have holes). */
  present: Uint8Array;
  /** Id of the single-byte token for each byte value, -1 when the vocabulary lacks it. */
  byteIds: Int32Array;
  /** `[a, b, merged]` for each merge, in rank order. */
  merges: Int32Array;
  added: AddedToken[];
  /** The token strings as written in the source file, when there was one. */
  tokenStrings?: (string | undefined)[];
  /** Prepend a space to text that does not start with one (ByteLevel `add_prefix_space`). */
  addPrefixSpace?: boolean;
}

const utf8 = new TextEncoder();

/** Bytes a vocab.json token stands for: its chars through GPT-2's byte map, or its UTF-8 text. */
export function tokenToBytes(token: string, byteDecoder: Map<string, number>): Uint8Array {
  const out = new Uint8Array(token.length);
  let i = 0;
  for (const ch of token) {
    const b = byteDecoder.get(ch);
    if (b === undefined) return utf8.encode(token);
    out[i++] = b;
  }
  return out.subarray(0, i);
}

/**
 * Builds model data from a token → id vocabulary and merge pairs (1-based `line` numbers for errors).
 * Throws {@link TokenizerFileError} naming `mergesFile` and the line of a merge that names a token
 * missing from the vocabulary, or whose result is missing.
 */
export function buildModelData(
  vocab: Map<string, number>,
  merges: { a: string; b: string; line: number }[],
  added: AddedToken[],
  mergesFile: string,
): BPEModelData {
  const byteEncoder = bytesToUnicode();
  const byteDecoder = new Map(byteEncoder.map((ch, b) => [ch, b]));
  const all = new Map(vocab);
  for (const t of added) if (!all.has(t.content)) all.set(t.content, t.id);
  let vocabSize = 0;
  for (const id of all.values()) vocabSize = Math.max(vocabSize, id + 1);
  const bytesOf: (Uint8Array | undefined)[] = new Array(vocabSize);
  const tokenStrings: (string | undefined)[] = new Array(vocabSize);
  const addedIds = new Set(added.map((t) => t.id));
  let total = 0;
  for (const [token, id] of all) {
    const bytes = addedIds.has(id) && !vocab.has(token) ? utf8.encode(token) : tokenToBytes(token, byteDecoder);
    bytesOf[id] = bytes;
    tokenStrings[id] = token;
    total += bytes.length;
  }
  const tokenBytes = new Uint8Array(total);
  const offsets = new Int32Array(vocabSize + 1);
  const present = new Uint8Array(vocabSize);
  let at = 0;
  for (let id = 0; id < vocabSize; id++) {
    offsets[id] = at;
    const bytes = bytesOf[id];
    if (bytes) {
      tokenBytes.set(bytes, at);
      at += bytes.length;
      present[id] = 1;
    }
  }
  offsets[vocabSize] = at;
  const byteIds = new Int32Array(256);
  for (let b = 0; b < 256; b++) byteIds[b] = vocab.get(byteEncoder[b]!) ?? -1;
  const triples = new Int32Array(merges.length * 3);
  merges.forEach(({ a, b, line }, r) => {
    const ia = vocab.get(a);
    const ib = vocab.get(b);
    const im = vocab.get(a + b);
    if (ia === undefined) throw new TokenizerFileError(mergesFile, line, `merge names unknown token ${JSON.stringify(a)}`);
    if (ib === undefined) throw new TokenizerFileError(mergesFile, line, `merge names unknown token ${JSON.stringify(b)}`);
    if (im === undefined) throw new TokenizerFileError(mergesFile, line, `merge result ${JSON.stringify(a + b)} is not in the vocabulary`);
    triples[3 * r] = ia;
    triples[3 * r + 1] = ib;
    triples[3 * r + 2] = im;
  });
  return { vocabSize, tokenBytes, offsets, present, byteIds, merges: triples, added, tokenStrings };
}
