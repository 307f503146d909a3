// Streaming decode: every emitted string is valid text and the concatenation equals decode(ids).
import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { loadGPT2Tokenizer } from '../src/gpt2';

const hasLoneSurrogate = (s: string): boolean => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('streamingDecoder', () => {
  it('holds back split UTF-8 and reproduces decode() exactly', async () => {
    const tok = await loadGPT2Tokenizer();
    const text = 'hello 👋 world 🌍 — naïve 中文 🦙.cpp Führer កាន់តែ';
    // " 👋" is [50169, 233]: the emoji's bytes straddle two tokens (GPT-3-Encoder's test table).
    const ids = tok.encode(text);
    expect(ids).toEqual(getEncoding('gpt2').encode(text));
    const dec = tok.streamingDecoder();
    const parts = ids.map((id) => dec.push(id));
    parts.push(dec.flush());
    for (const p of parts) {
      expect(p).not.toContain('\ufffd');
      expect(hasLoneSurrogate(p)).toBe(false);
    }
    expect(parts.join('')).toBe(tok.decode(ids));
    expect(parts.join('')).toBe(text);
    expect(parts).toContain(''); // something was held back
  });

  it('flush emits U+FFFD for an unfinished sequence and resets', async () => {
    const tok = await loadGPT2Tokenizer();
    const dec = tok.streamingDecoder();
    // 12520 is a space and the first three bytes of the four-byte 🦙 (llama.cpp's vector " this is 🦙.cpp").
    expect(dec.push(12520)).toBe(' ');
    expect(dec.flush()).toBe('\ufffd');
    expect(tok.decode([12520])).toBe(' \ufffd');
    expect(dec.push(15496)).toBe('Hello');
  });

  it('rejects an unknown id', async () => {
    const tok = await loadGPT2Tokenizer();
    expect(() => tok.streamingDecoder().push(99999)).toThrow(/99999/);
  });
});
