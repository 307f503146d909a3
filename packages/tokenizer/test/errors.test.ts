// Bad tokenizer files and bad ids give typed errors that name the file / line / id.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BPETokenizer, loadTokenizer, SimpleTokenizer, TokenizerError, TokenizerFileError, UnknownTokenIdError } from '../src/index';
import { loadGPT2Tokenizer } from '../src/gpt2';

const dir = mkdtempSync(join(tmpdir(), 'gorch-tokenizer-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const goodVocab = JSON.stringify({ a: 0, b: 1, ab: 2 });
const goodMerges = '#version: 0.2\na b\n';

async function fileError(vocab: string, merges: string): Promise<TokenizerFileError> {
  const v = file(`v${Math.random()}.json`, vocab);
  const m = file(`m${Math.random()}.txt`, merges);
  const err = await loadTokenizer(v, m).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenizerFileError);
  return err as TokenizerFileError;
}

describe('bad tokenizer files', () => {
  it('loads the good pair', async () => {
    const tok = await loadTokenizer(file('v.json', goodVocab), file('m.txt', goodMerges));
    expect(tok.encode('ab')).toEqual([2]);
  });

  it('malformed vocab.json names the file and line', async () => {
    const err = await fileError('{\n "a": 0,\n "b": 1,,\n}', goodMerges);
    expect(err.code).toBe('BAD_FILE');
    expect(err.file).toMatch(/v[\d.]+\.json$/);
    expect(err.line).toBe(3);
    expect(err.message).toContain(err.file);
  });

  it('vocab.json that is not an object of integer ids', async () => {
    expect((await fileError('[1, 2]', goodMerges)).message).toMatch(/JSON object/);
    const err = await fileError('{\n"a": 0,\n"b": "one"\n}', goodMerges);
    expect(err.line).toBe(3);
    expect(err.message).toContain('"b"');
  });

  it('a merges line that is not two tokens', async () => {
    const err = await fileError(goodVocab, '#version: 0.2\na b\na b c\n');
    expect(err.file).toMatch(/m[\d.]+\.txt$/);
    expect(err.line).toBe(3);
    const single = await fileError(goodVocab, 'a b\nab\n');
    expect(single.line).toBe(2);
  });

  it('a merge naming an unknown token', async () => {
    const err = await fileError(goodVocab, '#version: 0.2\na b\nb z\n');
    expect(err.line).toBe(3);
    expect(err.message).toContain('"z"');
  });

  it('empty files', async () => {
    expect((await fileError('', goodMerges)).message).toMatch(/empty/);
    expect((await fileError(goodVocab, '')).message).toMatch(/empty/);
    expect((await fileError('{}', goodMerges)).message).toMatch(/empty/);
  });

  it('a missing file', async () => {
    const err = await loadTokenizer(join(dir, 'nope.json'), join(dir, 'nope.txt')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenizerFileError);
  });

  it('tokenizer.json of another model type', () => {
    expect(() => BPETokenizer.fromTokenizerJSON({ model: { type: 'WordPiece' } }, 'bert.json')).toThrow(/bert\.json.*BPE/);
  });

  it('a byte the vocabulary lacks', () => {
    const tok = BPETokenizer.fromVocabAndMerges(goodVocab, goodMerges);
    const err = (() => {
      try {
        tok.encode('abc');
      } catch (e) {
        return e as TokenizerError;
      }
    })();
    expect(err).toBeInstanceOf(TokenizerError);
    expect(err?.code).toBe('UNKNOWN_BYTE');
    expect(err?.message).toContain('0x63');
  });
});

describe('decode of unknown ids', () => {
  it.each([[50257], [-1], [1.5], [Number.NaN], [1e9]])('throws UnknownTokenIdError naming %s', async (id) => {
    const tok = await loadGPT2Tokenizer();
    const err = (() => {
      try {
        tok.decode([15496, id]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnknownTokenIdError);
    expect((err as UnknownTokenIdError).id).toBe(id);
    expect((err as UnknownTokenIdError).code).toBe('UNKNOWN_TOKEN_ID');
    expect(String((err as Error).message)).toContain(String(id));
  });

  it('encode rejects a non-string and an unknown allowedSpecial', async () => {
    const tok = await loadGPT2Tokenizer();
    expect(() => tok.encode(42 as unknown as string)).toThrow(TokenizerError);
    expect(() => tok.encode('x', { allowedSpecial: ['<|im_start|>'] })).toThrow(/im_start/);
  });
});

describe('argument types (hostile-input regressions)', () => {
  const badArg = (fn: () => unknown, re: RegExp): void => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TokenizerError);
    expect(err).not.toBeInstanceOf(UnknownTokenIdError);
    expect((err as TokenizerError).code).toBe('BAD_ARGUMENT');
    expect((err as Error).message).toMatch(re);
  };
  it('decode names a non-array ids argument instead of returning "" or a TypeError', async () => {
    const tok = await loadGPT2Tokenizer();
    badArg(() => tok.decode(15496 as never), /decode: argument 'ids' must be an array or typed array of token ids, got number/);
    badArg(() => tok.decode(null as never), /argument 'ids' .* got null/);
    badArg(() => tok.decode('15496' as never), /argument 'ids' .* got "15496"/);
    badArg(() => tok.decodeBytes(undefined as never), /got undefined/);
    const simple = new SimpleTokenizer('abc');
    badArg(() => simple.decode(3 as never), /decode: argument 'ids'/);
  });
  it('decode names a non-number element by position (a string id is not an unknown id)', async () => {
    const tok = await loadGPT2Tokenizer();
    badArg(() => tok.decode(['15496'] as never), /decode: ids\[0\] must be a number, got "15496"/);
    badArg(() => tok.decode([15496, , 995] as never), /ids\[1\] must be a number, got undefined/);
    badArg(() => new SimpleTokenizer('abc').decode([0, '1'] as never), /ids\[1\] must be a number/);
    expect(tok.decode(new Int32Array([15496, 995]))).toBe('Hello world');
  });
  it('allowedSpecial must be "all" or an array of strings (a string is not split into characters)', async () => {
    const tok = await loadGPT2Tokenizer();
    badArg(() => tok.encode('<|endoftext|>', { allowedSpecial: 'some' as never }), /encode: options.allowedSpecial must be 'all' or an array of special-token strings, got "some"/);
    badArg(() => tok.encode('x', { allowedSpecial: [5] as never }), /allowedSpecial\[0\] must be a string, got number/);
    await expect(tok.encodeBatch(['a'], { allowedSpecial: 'some' as never })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(tok.encode('<|endoftext|>', { allowedSpecial: 'all' })).toEqual([50256]);
  });
});
