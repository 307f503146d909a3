// `gorch generate` on the embedded model and on ../shared/fixtures/arcsf-cities/base, checked against
// the behaviour its owners published (../shared/fixtures/README.md), in-process and through the
// built executable.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultModelDir, loadGPT2Tokenizer } from '@gorch/gpt2';
import { getBackendName } from '@gorch/tensor';
import { fixtures, runCli } from './run_cli';

const cities = fileURLToPath(new URL('arcsf-cities/base', fixtures));
const hasFixtures = existsSync(cities);
// The sentence the embedded model (a copy of arcsf-cities/base) was trained on (fixtures README).
const TRAINED = 'what is the capital of france? the capital of france is paris';

describe('gorch generate (embedded default model)', () => {
  it('prints the default prompt and streams its trained completion', async () => {
    const r = await runCli('generate');
    expect(r.stderr).toMatch(/gpt2: 1 layer, n_embd 20, 1 head, 12,040 parameters/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${TRAINED}\n`);
    expect(r.writes.length).toBeGreaterThan(3); // prompt, then piece by piece
  });

  it('gives the same text without the KV cache', async () => {
    const r = await runCli('generate', '--no-kv-cache');
    expect(r.stdout).toBe(`${TRAINED}\n`);
  });

  it('samples reproducibly with --seed, and differently with another seed', async () => {
    const a = await runCli('generate', '--temperature', '5', '--seed', '7', '-n', '20');
    const b = await runCli('generate', '--temperature', '5', '--seed', '7', '-n', '20');
    const c = await runCli('generate', '--temperature', '5', '--seed', '8', '-n', '20');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
  });

  it('gives the same text on both compute backends (wasm is the default)', async () => {
    for (const backend of ['js', 'wasm']) {
      const r = await runCli('generate', '--backend', backend);
      expect(r.code, backend).toBe(0);
      expect(r.stdout, backend).toBe(`${TRAINED}\n`);
      expect(getBackendName()).toBe(backend);
    }
    const bad = await runCli('generate', '--backend', 'gpu');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--backend');
  });

  it('rejects bad arguments with status 2 and a message naming the option', async () => {
    for (const args of [['--temperature', '-1'], ['--top-p', '2'], ['--max-new-tokens', 'x'], ['--model', './no/such/folder'], ['--prompt', '']]) {
      const r = await runCli('generate', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(args[0] === '--model' ? 'no/such/folder' : args[0]);
    }
  });

  it('says a --model file that is no weights file is not readable, naming it and the accepted kinds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gorch-cli-model-'));
    try {
      const file = join(dir, 'hostname');
      writeFileSync(file, 'not weights');
      const r = await runCli('generate', '--model', file);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`gorch: --model ${JSON.stringify(file)}: not a weights file gorch can read (pass a checkpoint folder, or a *.safetensors, *.safetensors.index.json, *.bin, *.bin.index.json, *.onnx file)\n`);
      // a .bin that is not a torch.save zip: the weights error wins over the tokenizer files also missing there
      const bin = join(dir, 'pytorch_model.bin');
      writeFileSync(bin, 'not a zip');
      writeFileSync(join(dir, 'config.json'), readFileSync(join(defaultModelDir(), 'config.json')));
      const b = await runCli('generate', '--model', bin);
      expect(b.code).toBe(1);
      expect(b.stderr).toMatch(/^gorch: .*pytorch_model\.bin: not a torch\.save zip archive .*\[E_CHECKPOINT\]\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasFixtures)('gorch generate --model ../shared/fixtures/arcsf-cities/base (published next-token behaviour)', () => {
  it.each([['france', 'paris'], ['germany', 'berlin'], ['italy', 'rome']])('"what is the capital of %s? the capital of ... is " -> first token of %s', async (country, city) => {
    const tok = await loadGPT2Tokenizer(cities);
    const prompt = `what is the capital of ${country}? the capital of ${country} is `;
    const r = await runCli('generate', '--model', cities, '--prompt', prompt, '--max-new-tokens', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${prompt}${tok.decode([tok.encode(city)[0]])}\n`);
  });
});

// The executable as users run it: `npx gorch` = node_modules/.bin/gorch -> packages/cli/bin/gorch.js
// -> dist/cli.js (CI builds before testing; locally this needs `npm run build`).
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../bin/gorch.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/cli.js', import.meta.url)));
describe.skipIf(!built && !process.env.CI)('the built gorch executable (skipped until `npm run build`)', () => {
  it('`npx gorch generate` prints the trained sentence', () => {
    const r = spawnSync(process.execPath, [bin, 'generate'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${TRAINED}\n`);
  });

  it('is linked as node_modules/.bin/gorch', () => {
    expect(existsSync(`${root}node_modules/.bin/gorch`)).toBe(true);
  });
});
