import { badId, checkAllowedSpecial, checkIdList } from './check_args';
import { bytesToUnicode } from './byte_level';
import { bpeMerge } from './bpe_merge';
import { disposeWorkers, encodeBatch } from './encode_batch';
import { TokenizerError } from './errors';
import { buildModelData, type AddedToken, type BPEModelData } from './model_data';
import { PairTable } from './pair_table';
import { PieceCache } from './piece_cache';
import { parseMerges, parseTokenizerJSON, parseVocab } from './parse_files';
import { pieceEnd } from './pretokenize';
import { StreamingDecoder } from './streaming_decoder';

/** Options of {@link BPETokenizer.encode}. */
export interface EncodeOptions {
  /**
   * Special tokens that are encoded as their single id when they occur in the text: `'all'` or a
   * list. Default `[]`: special tokens such as `<|endoftext|>` are encoded as plain text (so
   * untrusted text can never inject them), like tiktoken's `encode_ordinary`.
   */
  allowedSpecial?: 'all' | readonly string[];
}

/** Options of {@link BPETokenizer.fromVocabAndMerges}. */
export interface VocabMergesOptions {
  /** Vocabulary tokens treated as special. Default: every token of the form `<|…|>`. */
  specialTokens?: readonly string[];
  /** Names used in error messages. Defaults `'vocab.json'`, `'merges.txt'`. */
  vocabFile?: string;
  mergesFile?: string;
}

// Words repeat (Zipf), so a cache of piece → ids skips most merging; long pieces are rare and
// would only crowd it.
const CACHE_MAX_PIECE = 64;

const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * GPT-2 byte-level byte-pair-encoding tokenizer (Radford et al. 2019; OpenAI `encoder.py`,
 * token-for-token equal to tiktoken's `gpt2` / Hugging Face `GPT2Tokenizer`). Text is split by
 * GPT-2's pre-tokenizer ({@link pieceEnd}), each piece's UTF-8 bytes become byte tokens, and pairs
 * are merged by rank. Ids are plain numbers; `vocabSize` is one more than the largest id.
 */
export class BPETokenizer {
  /** One more than the largest token id (50257 for GPT-2). */
  readonly vocabSize: number;
  private readonly data: BPEModelData;
  private readonly pairs: PairTable;
  private readonly mergedId: Int32Array;
  private readonly byteIds: Int32Array;
  private readonly cache = new PieceCache();
  private sym = new Int32Array(256);
  private decodeBuf = new Uint8Array(1024);
  private readonly special = new Map<string, number>();
  private readonly alwaysAdded: AddedToken[];
  private lazyEncoder?: Map<string, number>;
  private lazyDecoder?: Map<number, string>;
  private lazyRanks?: Map<string, number>;

  /** Builds from {@link BPEModelData}; use the static factories unless you already hold that form. */
  constructor(data: BPEModelData) {
    this.data = data;
    this.vocabSize = data.vocabSize;
    const count = data.merges.length / 3;
    this.pairs = new PairTable(count);
    this.mergedId = new Int32Array(count);
    for (let r = 0; r < count; r++) {
      this.pairs.setIfAbsent(data.merges[3 * r]!, data.merges[3 * r + 1]!, r);
      this.mergedId[r] = data.merges[3 * r + 2]!;
    }
    this.byteIds = data.byteIds;
    for (const t of data.added) if (t.special) this.special.set(t.content, t.id);
    this.alwaysAdded = data.added.filter((t) => !t.special);
  }

  /**
   * From a parsed or raw vocab.json (token → id) and the text of merges.txt, with no file system
   * (browsers, bundlers). Throws `TokenizerFileError` naming the file and line of any defect.
   */
  static fromVocabAndMerges(vocab: string | Record<string, number>, mergesText: string, options: VocabMergesOptions = {}): BPETokenizer {
    const vocabFile = options.vocabFile ?? 'vocab.json';
    const mergesFile = options.mergesFile ?? 'merges.txt';
    const tokens = parseVocab(vocab, vocabFile);
    const merges = parseMerges(mergesText, mergesFile);
    const special = options.specialTokens ?? [...tokens.keys()].filter((t) => /^<\|.*\|>$/s.test(t));
    const added: AddedToken[] = [];
    for (const content of special) {
      const id = tokens.get(content);
      if (id === undefined) throw new TokenizerError('BAD_ARGUMENT', `special token ${JSON.stringify(content)} is not in ${vocabFile}`);
      added.push({ id, content, special: true });
    }
    return new BPETokenizer(buildModelData(tokens, merges, added, mergesFile));
  }

  /**
   * From a Hugging Face tokenizer.json (text or parsed) whose model is BPE with a ByteLevel
   * pre-tokenizer, including its `added_tokens` (`special: true` ones obey `allowedSpecial`, the
   * others are always matched; their lstrip/rstrip flags are ignored). `file` names it in errors.
   */
  static fromTokenizerJSON(json: string | Record<string, unknown>, file = 'tokenizer.json'): BPETokenizer {
    const parts = parseTokenizerJSON(json, file);
    const data = buildModelData(parts.vocab, parts.merges, parts.added, `${file} (model.merges)`);
    data.addPrefixSpace = parts.addPrefixSpace;
    return new BPETokenizer(data);
  }

  /** The flat model arrays (shared, do not mutate): what a worker thread needs to rebuild this. */
  get modelData(): BPEModelData {
    return this.data;
  }

  /** Token id of each single byte (-1 where missing). */
  private byteId(b: number): number {
    const id = this.byteIds[b]!;
    if (id < 0) throw new TokenizerError('UNKNOWN_BYTE', `the vocabulary has no token for byte 0x${b.toString(16).padStart(2, '0')}`);
    return id;
  }

  /**
   * Token ids of `text`. Lone UTF-16 surrogates are encoded as U+FFFD (as tiktoken does); nothing
   * is normalised. Special tokens are plain text unless `options.allowedSpecial` lists them.
   * Throws `TokenizerError` `'UNKNOWN_BYTE'` if the vocabulary lacks a byte token the text needs, and
   * `'BAD_ARGUMENT'` for a non-string text or an `allowedSpecial` that is not `'all'` / a string array.
   */
  encode(text: string, options?: EncodeOptions): number[] {
    if (typeof text !== 'string') throw new TokenizerError('BAD_ARGUMENT', `encode expects a string, got ${typeof text}`);
    if (this.data.addPrefixSpace && text.length > 0 && text.charCodeAt(0) !== 32) text = ' ' + text;
    const out: number[] = [];
    const matchers = this.matchers(options?.allowedSpecial);
    if (matchers.length === 0) {
      this.encodeOrdinary(text, 0, text.length, out);
      return out;
    }
    let from = 0;
    for (;;) {
      let at = -1;
      let hit: AddedToken | undefined;
      for (const m of matchers) {
        const i = text.indexOf(m.content, from);
        if (i >= 0 && (at < 0 || i < at || (i === at && m.content.length > hit!.content.length))) {
          at = i;
          hit = m;
        }
      }
      if (!hit) break;
      this.encodeOrdinary(text, from, at, out);
      out.push(hit.id);
      from = at + hit.content.length;
    }
    this.encodeOrdinary(text, from, text.length, out);
    return out;
  }

  private matchers(allowed: EncodeOptions['allowedSpecial']): AddedToken[] {
    checkAllowedSpecial(allowed, 'encode');
    if (allowed === undefined || (allowed !== 'all' && allowed.length === 0)) return this.alwaysAdded;
    if (allowed === 'all') return this.data.added.filter((t) => t.content.length > 0);
    const list = [...this.alwaysAdded];
    for (const content of allowed) {
      const id = this.special.get(content);
      if (id === undefined) throw new TokenizerError('BAD_ARGUMENT', `allowedSpecial names ${JSON.stringify(content)}, which is not a special token`);
      list.push({ id, content, special: true });
    }
    return list;
  }

  private encodeOrdinary(text: string, from: number, to: number, out: number[]): void {
    const cache = this.cache;
    const byteIds = this.byteIds;
    let i = from;
    while (i < to) {
      const end = pieceEnd(text, i, to);
      if (end === i + 1) {
        const c = text.charCodeAt(i);
        if (c < 128) {
          out.push(byteIds[c]! >= 0 ? byteIds[c]! : this.byteId(c));
          i = end;
          continue;
        }
      }
      if (end - i > CACHE_MAX_PIECE) {
        this.pushPiece(text, i, end, out);
      } else {
        const h = PieceCache.hash(text, i, end);
        if (!cache.pushIfCached(text, i, end, h, out)) {
          const n = this.pushPiece(text, i, end, out);
          cache.set(text, i, end, h, this.sym, n);
        }
      }
      i = end;
    }
  }

  /** BPE of `text[from, to)`: pushes the ids to `out`, leaves them in `this.sym`, returns their count. */
  private pushPiece(text: string, from: number, to: number, out: number[]): number {
    if (this.sym.length < (to - from) * 3) this.sym = new Int32Array((to - from) * 3);
    const sym = this.sym;
    const byteIds = this.byteIds;
    let len = 0;
    const put = (b: number): void => {
      const id = byteIds[b]!;
      sym[len++] = id >= 0 ? id : this.byteId(b);
    };
    for (let k = from; k < to; k++) {
      let c = text.charCodeAt(k);
      if (c < 0x80) {
        put(c);
        continue;
      }
      if (c < 0x800) {
        put(0xc0 | (c >> 6));
        put(0x80 | (c & 63));
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = k + 1 < to ? text.charCodeAt(k + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          k++;
          put(0xf0 | (cp >> 18));
          put(0x80 | ((cp >> 12) & 63));
          put(0x80 | ((cp >> 6) & 63));
          put(0x80 | (cp & 63));
          continue;
        }
        c = 0xfffd; // lone surrogate
      }
      put(0xe0 | (c >> 12));
      put(0x80 | ((c >> 6) & 63));
      put(0x80 | (c & 63));
    }
    len = bpeMerge(sym, len, this.pairs, this.mergedId);
    for (let k = 0; k < len; k++) out.push(sym[k]!);
    return len;
  }

  /**
   * Encodes many texts; the result is in input order and equals `texts.map(t => encode(t))`.
   * Large inputs (≥ 1 MiB of text in total) are split across worker threads in Node; small inputs
   * and browsers run a plain loop.
   */
  encodeBatch(texts: readonly string[], options?: EncodeOptions): Promise<number[][]> {
    return encodeBatch(this, texts, options);
  }

  /** Stops any worker threads started by {@link encodeBatch} (idle workers never block exit). */
  dispose(): Promise<void> {
    return disposeWorkers(this);
  }

  /**
   * The text of `ids` (the exact inverse of {@link encode}; byte sequences that are not valid UTF-8
   * become U+FFFD). Throws {@link UnknownTokenIdError} naming the first id outside the vocabulary, and
   * `TokenizerError` `'BAD_ARGUMENT'` when `ids` is not an array / typed array or holds a non-number.
   */
  decode(ids: ArrayLike<number>): string {
    return utf8Decoder.decode(this.decodeBytes(ids));
  }

  /** The raw bytes of `ids` (a view valid until the next call). Throws as {@link BPETokenizer.decode}. */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    checkIdList(ids, 'decode');
    const { offsets, present, tokenBytes } = this.data;
    let total = 0;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      if (!(id >= 0 && id < this.vocabSize && present[id] === 1) || !Number.isInteger(id)) throw badId(id, k, this.vocabSize, 'decode');
      total += offsets[id + 1]! - offsets[id]!;
    }
    if (this.decodeBuf.length < total) this.decodeBuf = new Uint8Array(Math.max(total, this.decodeBuf.length * 2));
    const buf = this.decodeBuf;
    let at = 0;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      const start = offsets[id]!;
      const end = offsets[id + 1]!;
      for (let j = start; j < end; j++) buf[at++] = tokenBytes[j]!;
    }
    return buf.subarray(0, total);
  }

  /**
   * A decoder for ids that arrive one at a time (generation): `push(id)` returns the text that is
   * complete so far, holding back an unfinished UTF-8 sequence; `flush()` ends the stream.
   */
  streamingDecoder(): StreamingDecoder {
    return new StreamingDecoder((id) => this.decodeBytes([id]));
  }

  private tokenString(id: number): string {
    const given = this.data.tokenStrings?.[id];
    if (given !== undefined) return given;
    const enc = bytesToUnicode();
    const { offsets, tokenBytes } = this.data;
    let s = '';
    for (let j = offsets[id]!; j < offsets[id + 1]!; j++) s += enc[tokenBytes[j]!];
    return s;
  }

  /** vocab.json's map: token string (GPT-2 byte-level alphabet) → id. Built on first use. */
  get encoder(): ReadonlyMap<string, number> {
    if (!this.lazyEncoder) {
      this.lazyEncoder = new Map();
      for (let id = 0; id < this.vocabSize; id++) if (this.data.present[id]) this.lazyEncoder.set(this.tokenString(id), id);
    }
    return this.lazyEncoder;
  }

  /** id → token string, the inverse of {@link encoder}. Built on first use. */
  get decoder(): ReadonlyMap<number, string> {
    if (!this.lazyDecoder) this.lazyDecoder = new Map([...this.encoder].map(([t, id]) => [id, t]));
    return this.lazyDecoder;
  }

  /** merges.txt as a map: `"left right"` → rank (0 = first merge). Built on first use. */
  get bpeRanks(): ReadonlyMap<string, number> {
    if (!this.lazyRanks) {
      this.lazyRanks = new Map();
      const m = this.data.merges;
      for (let r = 0; r < m.length / 3; r++) {
        const key = `${this.tokenString(m[3 * r]!)} ${this.tokenString(m[3 * r + 1]!)}`;
        if (!this.lazyRanks.has(key)) this.lazyRanks.set(key, r);
      }
    }
    return this.lazyRanks;
  }

  /** GPT-2's byte → unicode character map (256 entries). */
  get byteEncoder(): ReadonlyMap<number, string> {
    return new Map(bytesToUnicode().map((ch, b) => [b, ch]));
  }

  /** The inverse of {@link byteEncoder}: character → byte. */
  get byteDecoder(): ReadonlyMap<string, number> {
    return new Map(bytesToUnicode().map((ch, b) => [ch, b]));
  }

  /** Special tokens and their ids. */
  get specialTokens(): ReadonlyMap<string, number> {
    return this.special;
  }
}
