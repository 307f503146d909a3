// `gorch finetune` teaches the embedded arcsf-cities model a sentence it does not know (the data
// file is the source of the expected answer), saves a Hugging Face folder, and `gorch generate
// --model OUT` answers with it while keeping the sentences it was trained on.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run_cli';

const tmp = mkdtempSync(join(tmpdir(), 'gorch-cli-ft-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sentence = (country: string, city: string) => `what is the capital of ${country}? the capital of ${country} is ${city}`;

describe('gorch finetune', () => {
  it('learns a new sentence from --data, saves an HF folder that gorch generate loads', async () => {
    const data = join(tmp, 'data.txt');
    // the new fact plus the trained ones (rehearsal), one line each
    writeFileSync(data, [sentence('spain', 'madrid'), sentence('france', 'paris'), sentence('germany', 'berlin'), sentence('italy', 'rome'), ''].join('\n'));
    const prompt = 'what is the capital of spain?';
    const before = await runCli('generate', '--prompt', prompt);
    expect(before.stdout).not.toBe(`${sentence('spain', 'madrid')}\n`);

    const out = join(tmp, 'spain');
    const ft = await runCli('finetune', '--data', data, '--steps', '150', '--lr', '0.01', '--weight-decay', '0', '--out', out);
    expect(ft.stderr).toMatch(/fine-tuning on 4 sequences/);
    expect(ft.code).toBe(0);
    expect(ft.stdout).toBe(`${out}\n`);
    expect(ft.stderr).toMatch(/step 150\/150 loss \d/);
    const [first, last] = /loss (\S+) -> (\S+)/.exec(ft.stderr)!.slice(1).map(Number);
    expect(last).toBeLessThan(first);
    expect(readdirSync(out).sort()).toEqual(['added_tokens.json', 'config.json', 'generation_config.json', 'merges.txt', 'model.safetensors', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.json']);

    // " the capital of spain is madrid" is 20 tokens of this BPE ("spain" 4, "madrid" 6, spaces 1 each)
    const after = await runCli('generate', '--model', out, '--prompt', prompt, '--max-new-tokens', '20');
    expect(after.code).toBe(0);
    expect(after.stdout).toBe(`${sentence('spain', 'madrid')}\n`);
    const kept = await runCli('generate', '--model', out, '--max-new-tokens', '12');
    expect(kept.stdout).toBe(`${sentence('france', 'paris')}\n`);
  });

  it('requires --data, --steps and --out, and names a data file that is missing', async () => {
    const r = await runCli('finetune', '--steps', '1', '--out', join(tmp, 'x'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--data');
    const missing = await runCli('finetune', '--data', join(tmp, 'nope.txt'), '--steps', '1', '--out', join(tmp, 'x'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.txt');
    expect(existsSync(join(tmp, 'x'))).toBe(false);
  });

  it('refuses an --out that is a file (or under one) with status 2 before training', async () => {
    const data = join(tmp, 'one-line.txt');
    writeFileSync(data, 'the capital of spain is madrid\n');
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'keep me');
    for (const out of [file, join(file, 'sub')]) {
      const r = await runCli('finetune', '--data', data, '--steps', '1000000', '--out', out);
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toMatch(/^gorch: --out ".*a-file(\/sub)?": (exists and is not a folder|.*a-file is a file, not a folder)\n$/);
      expect(r.stderr).not.toContain('fine-tuning on');
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });
});
