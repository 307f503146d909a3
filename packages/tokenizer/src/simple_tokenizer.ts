import { badId, checkIdList } from './check_args';
import { TokenizerError } from './errors';

/**
 * Character-level tokenizer built from a corpus (nanoGPT's shakespeare_char): the vocabulary is
 * the corpus's distinct Unicode code points sorted by code point, id = index. For tests and tiny
 * models.
 */
export class SimpleTokenizer {
  /** Number of distinct characters in the corpus. */
  readonly vocabSize: number;
  /** The vocabulary: `chars[id]` is the character of `id`. */
  readonly chars: readonly string[];
  private readonly stoi: Map<string, number>;

  /** Throws `TokenizerError` `'BAD_ARGUMENT'` for a non-string or empty corpus. */
  constructor(corpus: string) {
    if (typeof corpus !== 'string' || corpus.length === 0) {
      throw new TokenizerError('BAD_ARGUMENT', 'SimpleTokenizer needs a non-empty corpus string');
    }
    this.chars = [...new Set(corpus)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    this.stoi = new Map(this.chars.map((ch, i) => [ch, i]));
    this.vocabSize = this.chars.length;
  }

  /** One id per code point. Throws `TokenizerError` `'UNKNOWN_CHARACTER'` naming a character not in the corpus. */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const ch of text) {
      const id = this.stoi.get(ch);
      if (id === undefined) {
        throw new TokenizerError('UNKNOWN_CHARACTER', `character ${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) is not in the vocabulary`);
      }
      ids.push(id);
    }
    return ids;
  }

  /**
   * The text of `ids`. Throws {@link UnknownTokenIdError} for an id outside `[0, vocabSize)` and
   * `TokenizerError` `'BAD_ARGUMENT'` when `ids` is not an array / typed array or holds a non-number.
   */
  decode(ids: ArrayLike<number>): string {
    checkIdList(ids, 'decode');
    let s = '';
    for (let k = 0; k < ids.length; k++) {
      const ch = this.chars[ids[k]!];
      if (ch === undefined || !Number.isInteger(ids[k])) throw badId(ids[k], k, this.vocabSize, 'decode');
      s += ch;
    }
    return s;
  }
}
