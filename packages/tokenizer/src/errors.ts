/**
 * Base class of every error thrown by `@gorch/tokenizer`. `code` is stable and machine-readable:
 * - `'BAD_FILE'` ({@link TokenizerFileError}): a vocab / merges / tokenizer.json file is malformed.
 * - `'UNKNOWN_TOKEN_ID'` ({@link UnknownTokenIdError}): `decode` got an id outside the vocabulary.
 * - `'UNKNOWN_BYTE'`: a vocabulary lacks the byte-level token for a byte of the input text.
 * - `'UNKNOWN_CHARACTER'`: `SimpleTokenizer.encode` got a character absent from its corpus.
 * - `'BAD_ARGUMENT'`: an argument has the wrong type or value.
 */
export class TokenizerError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'TokenizerError';
    this.code = code;
  }
}

/**
 * A tokenizer file could not be used. `file` is the path (or the label given by the caller when the
 * text came from memory) and `line` the 1-based line number, when one line is to blame.
 */
export class TokenizerFileError extends TokenizerError {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, detail: string) {
    super('BAD_FILE', `${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'TokenizerFileError';
    this.file = file;
    this.line = line;
  }
}

/** `decode` (or a streaming decoder) was given an id that is not in the vocabulary. */
export class UnknownTokenIdError extends TokenizerError {
  readonly id: number;
  constructor(id: number, vocabSize: number) {
    super('UNKNOWN_TOKEN_ID', `unknown token id ${String(id)} (vocabulary has ids 0..${vocabSize - 1})`);
    this.name = 'UnknownTokenIdError';
    this.id = id;
  }
}
