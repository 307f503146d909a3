// Fine-tuning the embedded arcsf-cities model with @gorch/optim's AdamW (a devDependency: gpt2 itself
// only sees the optimizer-like { step, zeroGrad } interface).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AdamW } from '@gorch/optim';
import { defaultModelDir, fineTune, generate, loadGPT2, loadGPT2Tokenizer, saveGPT2, type GPT2LMHeadModel } from '../src/index';

const tmp = mkdtempSync(join(tmpdir(), 'gorch-gpt2-ft-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fine-tune arcsf-cities on a new fact', () => {
  it('learns "the capital of spain is madrid", keeps the old facts, and still does after save + reload', async () => {
    const dir = defaultModelDir();
    const [model, tok] = await Promise.all([loadGPT2(dir), loadGPT2Tokenizer(dir)]);
    const facts = [['france', 'paris'], ['germany', 'berlin'], ['italy', 'rome']];
    const sentence = (c: string, city: string) => `what is the capital of ${c}? the capital of ${c} is ${city}`;
    const answers = (m: GPT2LMHeadModel, country: string, city: string) => {
      const prompt = tok.encode(`what is the capital of ${country}? the capital of ${country} is `);
      const want = tok.encode(city);
      return tok.decode(generate(m, prompt, want.length).slice(prompt.length)) === city;
    };
    expect(answers(model, 'spain', 'madrid')).toBe(false); // not known before

    // the new fact plus the old ones (rehearsal), one full batch per AdamW step
    const batch = [sentence('spain', 'madrid'), ...facts.map(([c, city]) => sentence(c, city))].map((s) => tok.encode(s));
    const opt = new AdamW(model.parameters(), { lr: 1e-2, weightDecay: 0 });
    const losses = fineTune(model, batch, opt, { steps: 200, until: () => answers(model, 'spain', 'madrid') });
    expect(answers(model, 'spain', 'madrid')).toBe(true);
    expect(losses.length).toBeLessThan(200);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    for (const [c, city] of facts) expect(answers(model, c, city), c).toBe(true);

    const out = join(tmp, 'spain');
    await saveGPT2(model, out);
    const reloaded = await loadGPT2(out);
    expect(answers(reloaded, 'spain', 'madrid')).toBe(true);
    for (const [c, city] of facts) expect(answers(reloaded, c, city), c).toBe(true);
  });
});
