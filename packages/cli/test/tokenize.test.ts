// `gorch tokenize` with the real GPT-2 tokenizer (../shared/fixtures/gpt2-tokenizer) against the
// ids published by llama.cpp / tiktoken / GPT-3-Encoder (../shared/fixtures/gpt2-tokenizer-vectors).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtures, runCli } from './run_cli';

const tokDir = fileURLToPath(new URL('gpt2-tokenizer', fixtures));
const vectorsFile = fileURLToPath(new URL('gpt2-tokenizer-vectors/vectors.json', fixtures));
const has = existsSync(tokDir) && existsSync(vectorsFile);

interface Case { text: string; ids: number[]; allowed_special?: unknown }
const cases = (): Case[] => {
  const v = JSON.parse(readFileSync(vectorsFile, 'utf8')) as { suites: { cases: Case[] }[] };
  // one argument each; cases needing special tokens, or empty text, are not command-line material
  return v.suites.flatMap((s) => s.cases).filter((c) => c.text.trim() !== '' && !c.text.includes('<|') && c.allowed_special === undefined);
};

describe.skipIf(!has)('gorch tokenize (GPT-2 tokenizer, published vectors)', () => {
  // each run loads the 50257-token vocabulary (~1 s), so a spread of 6 vectors, not all of them
  it('encodes published vectors to their ids and decodes them back', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(40);
    const step = Math.floor(all.length / 6);
    for (const c of all.filter((_, i) => i % step === 0).slice(0, 6)) {
      const r = await runCli('tokenize', '--model', tokDir, '--json', c.text);
      expect(r.code, c.text).toBe(0);
      expect(JSON.parse(r.stdout).ids, c.text).toEqual(c.ids);
      const d = await runCli('tokenize', '--model', tokDir, '--decode', '--json', c.ids.join(' '));
      expect(JSON.parse(d.stdout).text, c.text).toBe(c.text);
    }
  });

  it('prints plain ids on stdout and the byte-level tokens on stderr', async () => {
    const r = await runCli('tokenize', '--model', tokDir, 'Hello world');
    expect(r.stdout).toBe('15496 995\n');
    expect(r.stderr).toBe('2 tokens: "Hello" "Ġworld"\n');
  });

  it('rejects a non-id with --decode', async () => {
    const r = await runCli('tokenize', '--model', tokDir, '--decode', '12', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"x" is not a token id');
  });
});

describe('gorch tokenize (embedded model)', () => {
  it('encodes the default prompt with spaces as their own token (id 220, fixtures README)', async () => {
    const r = await runCli('tokenize', '--json', 'what is the capital of france?');
    const { ids, tokens } = JSON.parse(r.stdout) as { ids: number[]; tokens: string[] };
    expect(ids.filter((_, i) => i % 2 === 1).slice(0, 5)).toEqual([220, 220, 220, 220, 220]);
    expect(tokens.join('').replaceAll('Ġ', ' ')).toBe('what is the capital of france?');
  });
});
