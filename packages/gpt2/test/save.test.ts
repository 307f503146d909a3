import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensorsHeader } from '@gorch/io-safetensors';
import { noGrad } from '@gorch/autograd';
import { tensor } from '@gorch/tensor';
import { defaultModelDir, loadGPT2, loadModelWeights, saveGPT2, saveModelWeights, CheckpointError, GenerateError } from '../src/index';

const tmp = mkdtempSync(join(tmpdir(), 'gorch-gpt2-save-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const golden = (p: string) => fileURLToPath(new URL(`./golden/${p}`, import.meta.url));

const logits = (m: Awaited<ReturnType<typeof loadGPT2>>, ids: number[]) =>
  noGrad(() => Array.from(m.forward(tensor(Int32Array.from(ids), { shape: [ids.length], dtype: 'int32' })).dataSync()));

describe('saveGPT2', () => {
  it.each([
    ['arcsf-cities base (GPT-2)', defaultModelDir(), [5, 220, 291, 220, 260]],
    ['parity GPT-Neo (tools/fixtures/gpt2_parity.py)', golden('parity-gpt-neo'), [1, 2, 3, 4, 5, 6, 7]],
  ])('%s: writes HF layout (same keys and shapes as the original file) that reloads identically', async (_name, dir, ids) => {
    const model = await loadGPT2(dir);
    const out = join(tmp, _name.replace(/\W+/g, '_'));
    await saveGPT2(model, out);
    const original = (await readSafetensorsHeader(join(dir, 'model.safetensors'))).header;
    const saved = (await readSafetensorsHeader(join(out, 'model.safetensors'))).header;
    const shapes = (h: typeof saved) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.shape]));
    const originalParams = Object.fromEntries(Object.entries(shapes(original)).filter(([k]) => !/\.attn\.(attention\.)?(masked_)?bias$/.test(k)));
    expect(shapes(saved)).toEqual(originalParams);
    const reloaded = await loadGPT2(out);
    expect(reloaded.hfConfig).toEqual(model.hfConfig);
    expect(logits(reloaded, ids)).toEqual(logits(model, ids));
    expect(readdirSync(out).sort()).toEqual(['config.json', 'model.safetensors']); // no temp files left
  });
});

describe('saveModelWeights / loadModelWeights', () => {
  it('round-trips through a name map, in place', async () => {
    const a = await loadGPT2(defaultModelDir());
    const b = await loadGPT2(golden('parity-gpt2')); // a different architecture cannot load it
    const file = join(tmp, 'weights.safetensors');
    await saveModelWeights(file, a, (n) => `model.${n}`);
    const keys = Object.keys((await readSafetensorsHeader(file)).header);
    expect(keys).toContain('model.wte.weight');
    expect(keys).not.toContain('model.lm_head.weight'); // tied: written once
    const c = await loadGPT2(defaultModelDir());
    const param = c.wte.weight;
    c.loadStateDict({ 'ln_f.weight': tensor(new Float32Array(20)) }, { strict: false }); // perturb, then restore from the file
    expect(logits(c, [5, 220, 291])).not.toEqual(logits(a, [5, 220, 291]));
    await loadModelWeights(file, c, (n) => `model.${n}`);
    expect(c.wte.weight).toBe(param);
    expect(logits(c, [5, 220, 291])).toEqual(logits(a, [5, 220, 291]));
    await expect(loadModelWeights(file, b, (n) => `model.${n}`)).rejects.toThrow(/shape/);
    await expect(loadModelWeights(file, c, (n) => `other.${n}`)).rejects.toThrow(CheckpointError);
  });
});

describe('untied lm_head', () => {
  it('loads lm_head.weight as its own parameter when tie_word_embeddings is false, and saves it', async () => {
    // pytorch_model.bin of tools/fixtures/gpt2_parity.py carries lm_head.weight (a copy of wte)
    const dir = golden('parity-gpt2');
    const { configFromPretrained } = await import('../src/index');
    const cfg = { ...configFromPretrained(dir), tieWordEmbeddings: false };
    const model = await loadGPT2(join(dir, 'pytorch_model.bin'), cfg);
    expect(model.isTied).toBe(false);
    expect(model.lm_head.weight.dataSync()).toEqual(model.wte.weight.dataSync());
    const out = join(tmp, 'untied');
    await saveGPT2(model, out);
    expect(Object.keys((await readSafetensorsHeader(join(out, 'model.safetensors'))).header)).toContain('lm_head.weight');
    const back = await loadGPT2(out);
    expect(back.isTied).toBe(false);
    expect(logits(back, [1, 2, 3])).toEqual(logits(model, [1, 2, 3]));
  });
});

describe('saveGPT2 argument checks (before anything is created)', () => {
  it('refuses a path that is an existing file, naming it, and leaves it alone', async () => {
    const model = await loadGPT2(defaultModelDir());
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'keep me');
    const err = await saveGPT2(model, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toBe(`${file}: exists and is not a folder (saveGPT2 writes a checkpoint folder)`);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    const under = join(file, 'sub');
    await expect(saveGPT2(model, under)).rejects.toThrow(new RegExp(`^${under.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot create the folder`));
  });

  it('refuses a non-model and an empty path with E_ARG, creating no folder', async () => {
    const dir = join(tmp, 'never-created');
    const err = await saveGPT2({} as never, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GenerateError);
    expect((err as GenerateError).code).toBe('E_ARG');
    expect((err as Error).message).toMatch(/^saveGPT2: model must be a GPT2LMHeadModel/);
    expect(existsSync(dir)).toBe(false);
    const model = await loadGPT2(defaultModelDir());
    await expect(saveGPT2(model, '')).rejects.toThrow(/saveGPT2: dir must be a folder path, got ""/);
  });
});
