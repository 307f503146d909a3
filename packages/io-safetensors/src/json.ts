import { SafetensorsError } from './errors.js';

/**
 * A strict JSON reader for safetensors headers (RFC 8259 grammar, serde_json's rules).
 *
 * Why not `JSON.parse`: it silently keeps the last of duplicate keys, turns `1e3` and `2.0` into
 * integers and rounds integers above 2^53, all of which the reference rejects or keeps exact.
 * Objects come back as `Map`s (so `__proto__` is an ordinary key), integers as `number` only when
 * written as plain non-negative digits within 2^53 − 1; any other number is a {@link JsonNumber}.
 */
export type JsonValue = null | boolean | string | number | JsonNumber | JsonValue[] | Map<string, JsonValue>;

/** A number that is not a plain non-negative safe integer; kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** serde_json's default recursion limit; deeper input is rejected instead of overflowing the stack. */
const MAX_DEPTH = 128;

/** Parses `text` (one JSON value, surrounding whitespace allowed); throws InvalidHeaderDeserialization. */
export function parseJson(text: string): JsonValue {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail('trailing characters after the JSON value');
  return v;
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  fail(what: string): never {
    throw new SafetensorsError('InvalidHeaderDeserialization', `header is not valid JSON: ${what} at character ${this.i}`);
  }

  ws(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++this.i);
  }

  value(depth: number): JsonValue {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x7b) return this.object(depth + 1);
    if (c === 0x5b) return this.array(depth + 1);
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.s.startsWith('true', this.i)) return (this.i += 4), true;
    if (this.s.startsWith('false', this.i)) return (this.i += 5), false;
    if (this.s.startsWith('null', this.i)) return (this.i += 4), null;
    return this.fail(this.i >= this.s.length ? 'unexpected end' : 'unexpected character');
  }

  object(depth: number): Map<string, JsonValue> {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.i++;
    const map = new Map<string, JsonValue>();
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x7d) return this.i++, map;
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 0x22) this.fail('expected a string key');
      const keyAt = this.i;
      const key = this.string();
      if (map.has(key)) {
        this.i = keyAt;
        this.fail(`duplicate key ${JSON.stringify(key)}`);
      }
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x3a) this.fail("expected ':'");
      this.i++;
      this.ws();
      map.set(key, this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 0x7d) return map;
      if (c !== 0x2c) this.fail("expected ',' or '}'");
      this.ws();
    }
  }

  array(depth: number): JsonValue[] {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) return this.i++, out;
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) this.fail("expected ',' or ']'");
      this.ws();
    }
  }

  number(): number | JsonNumber {
    const s = this.s;
    const start = this.i;
    let plain = true;
    if (s.charCodeAt(this.i) === 0x2d) {
      this.i++;
      plain = false;
    }
    const d0 = this.i;
    if (s.charCodeAt(this.i) === 0x30) this.i++;
    else if (!this.digits()) this.fail('expected a digit');
    if (this.i - d0 > 16) plain = false;
    if (s.charCodeAt(this.i) === 0x2e) {
      this.i++;
      plain = false;
      if (!this.digits()) this.fail('expected a digit after the decimal point');
    }
    const e = s.charCodeAt(this.i);
    if (e === 0x65 || e === 0x45) {
      this.i++;
      plain = false;
      const sign = s.charCodeAt(this.i);
      if (sign === 0x2b || sign === 0x2d) this.i++;
      if (!this.digits()) this.fail('expected a digit in the exponent');
    }
    const text = s.slice(start, this.i);
    if (plain) {
      const n = Number(text);
      if (Number.isSafeInteger(n)) return n;
    }
    return new JsonNumber(text);
  }

  digits(): boolean {
    const start = this.i;
    let c = this.s.charCodeAt(this.i);
    while (c >= 0x30 && c <= 0x39) c = this.s.charCodeAt(++this.i);
    return this.i > start;
  }

  string(): string {
    const s = this.s;
    let i = ++this.i;
    let out = '';
    let chunk = i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return out + s.slice(chunk, i);
      }
      if (Number.isNaN(c)) return (this.i = i), this.fail('unterminated string');
      if (c < 0x20) return (this.i = i), this.fail('control character in string');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += s.slice(chunk, i);
      this.i = i;
      const esc = s.charCodeAt(i + 1);
      i += 2;
      switch (esc) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const u = this.hex4(i);
          i += 4;
          if (u >= 0xd800 && u <= 0xdbff) {
            // serde_json (like Rust strings) refuses unpaired surrogates; so do we.
            if (s.charCodeAt(i) !== 0x5c || s.charCodeAt(i + 1) !== 0x75) this.fail('lone leading surrogate in \\u escape');
            const lo = this.hex4(i + 2);
            if (lo < 0xdc00 || lo > 0xdfff) this.fail('lone leading surrogate in \\u escape');
            i += 6;
            out += String.fromCharCode(u, lo);
          } else if (u >= 0xdc00 && u <= 0xdfff) {
            this.fail('lone trailing surrogate in \\u escape');
          } else out += String.fromCharCode(u);
          break;
        }
        default:
          this.fail('invalid escape');
      }
      chunk = i;
    }
  }

  hex4(at: number): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.s.charCodeAt(at + k);
      const h = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (h < 0) this.fail('invalid \\u escape');
      v = v * 16 + h;
    }
    return v;
  }
}
