/**
 * GPT-2's pre-tokenizer, written as a scanner instead of a regex. It returns exactly the pieces of
 * tiktoken's `gpt2` pattern run with JavaScript's Unicode property tables:
 * `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` (flags `gu`).
 * Contractions are lower-case only, a whitespace run leaves its last character to the next piece,
 * nothing is normalised, and a lone UTF-16 surrogate counts as "other" (what the `u` regex does).
 * The scanner never backtracks, so its cost is linear in the text length.
 */
export const GPT2_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const LETTER = 1;
const NUMBER = 2;
const SPACE = 3;
const OTHER = 4;

// Category of every BMP code unit, filled on first sight (0 = not yet known), so the Unicode
// tables are asked once per distinct character and ASCII text never reaches a regex.
const bmp = new Uint8Array(0x10000);
const astral = new Map<number, number>();
const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;
const IS_SPACE = /^\s$/u;

function classify(ch: string): number {
  if (IS_LETTER.test(ch)) return LETTER;
  if (IS_NUMBER.test(ch)) return NUMBER;
  if (IS_SPACE.test(ch)) return SPACE;
  return OTHER;
}

for (let c = 0; c < 128; c++) bmp[c] = classify(String.fromCharCode(c));
// Lone surrogates are "other"; paired ones are classified as a whole code point below.
bmp.fill(OTHER, 0xd800, 0xe000);

function bmpCategory(c: number): number {
  let cat = bmp[c]!;
  if (cat === 0) bmp[c] = cat = classify(String.fromCharCode(c));
  return cat;
}

function astralCategory(cp: number): number {
  let cat = astral.get(cp);
  if (cat === undefined) astral.set(cp, (cat = classify(String.fromCodePoint(cp))));
  return cat;
}

/** Category and width (1 or 2 code units) of the code point at `i`, packed as `cat << 2 | width`. */
function categoryAt(text: string, i: number, n: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= n) return (bmpCategory(c) << 2) | 1;
  const d = text.charCodeAt(i + 1);
  if (d < 0xdc00 || d > 0xdfff) return (OTHER << 2) | 1;
  return (astralCategory(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000) << 2) | 2;
}

/** End (exclusive) of the run of category `cat` that starts at `i`. */
function runEnd(text: string, i: number, n: number, cat: number): number {
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 0xd800) {
      if ((c < 128 ? bmp[c]! : bmpCategory(c)) !== cat) return i;
      i++;
    } else {
      const cw = categoryAt(text, i, n);
      if (cw >> 2 !== cat) return i;
      i += cw & 3;
    }
  }
  return i;
}

/**
 * End (exclusive, in UTF-16 code units) of the GPT-2 pre-token that starts at `start`;
 * `start < n` and `n <= text.length`. Matching `text` against {@link GPT2_PATTERN} from `start`
 * gives the same piece.
 */
export function pieceEnd(text: string, start: number, n: number): number {
  const c = text.charCodeAt(start);
  if (c === 39 && start + 1 < n) {
    const d = text.charCodeAt(start + 1);
    if (d === 115 || d === 116 || d === 109 || d === 100) return start + 2; // 's 't 'm 'd
    if (start + 2 < n) {
      const e = text.charCodeAt(start + 2);
      if ((e === 101 && (d === 114 || d === 118)) || (d === 108 && e === 108)) return start + 3; // 're 've 'll
    }
  }
  const i = start;
  let cat: number;
  if (c < 128) {
    cat = bmp[c]!;
    if (c === 32 && i + 1 < n) {
      const next = categoryAt(text, i + 1, n) >> 2;
      if (next !== SPACE) return runEnd(text, i + 1, n, next);
    }
  } else {
    cat = categoryAt(text, i, n) >> 2;
  }
  if (cat !== SPACE) return runEnd(text, i, n, cat);
  // \s+(?!\S) takes the whole run at the end of the text, else all but its last character;
  // a run of one followed by a non-space falls through to the plain \s+.
  const end = runEnd(text, i + 1, n, SPACE);
  if (end === n || end - start === 1) return end;
  return end - 1;
}

/** The GPT-2 pre-tokens of `text`, in order (their concatenation is `text`). */
export function pretokenize(text: string): string[] {
  const pieces: string[] = [];
  const n = text.length;
  for (let i = 0; i < n; ) {
    const end = pieceEnd(text, i, n);
    pieces.push(text.slice(i, end));
    i = end;
  }
  return pieces;
}
