import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argmax, filteredProbs, generatorFor, greedyConfig, sampleToken, validateGenerateConfig, defaultGenerateConfig } from '../src/sampling';
import { GenerateError } from '../src/errors';

// Golden: tools/fixtures/gpt2_sampling.py (Hugging Face's temperature -> top-k -> top-p warpers in torch)
const golden = JSON.parse(readFileSync(new URL('./golden/sampling.json', import.meta.url), 'utf8'));

describe('filteredProbs', () => {
  it.each(golden.cases.map((c: any, i: number) => [i, c]) as [number, any][])('matches the HF warpers, case %i', (_i, c) => {
    const p = filteredProbs(c.logits, c);
    c.probs.forEach((q: number, j: number) => expect(p[j]).toBeCloseTo(q, 10));
  });
});

describe('sampleToken', () => {
  it('greedy is argmax with the first index on ties (torch.argmax)', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(sampleToken([1, 3, 3, 2], greedyConfig(1), { uniform: () => 0.99 })).toBe(1);
  });

  it('a seed makes sampling reproducible, and draws follow the filtered distribution', () => {
    const c = golden.cases[4];
    const draw = (seed: number) => {
      const rng = generatorFor({ seed });
      return Array.from({ length: 20000 }, () => sampleToken(c.logits, c, rng));
    };
    const a = draw(11);
    expect(draw(11)).toEqual(a);
    expect(draw(12)).not.toEqual(a);
    const counts = new Array(c.probs.length).fill(0);
    for (const t of a) counts[t]++;
    c.probs.forEach((q: number, j: number) => {
      if (q === 0) expect(counts[j]).toBe(0);
      else expect(Math.abs(counts[j] / a.length - q)).toBeLessThan(4 * Math.sqrt(q * (1 - q) / a.length) + 1e-3);
    });
  });

  it('top-p never empties the set', () => {
    expect(sampleToken([0, 5, 1], { temperature: 1, topK: 0, topP: 1e-9 }, { uniform: () => 0.999 })).toBe(1);
  });
});

describe('validateGenerateConfig', () => {
  it('accepts the presets and rejects bad fields by name', () => {
    validateGenerateConfig(defaultGenerateConfig());
    validateGenerateConfig(greedyConfig(3));
    expect(() => validateGenerateConfig({ ...greedyConfig(3), temperature: -1 })).toThrow(/temperature/);
    expect(() => validateGenerateConfig({ ...greedyConfig(3), topK: 1.5 })).toThrow(/topK/);
    expect(() => validateGenerateConfig({ ...greedyConfig(-1) })).toThrow(/maxNewTokens/);
    expect(() => validateGenerateConfig({ ...greedyConfig(1), stopToken: -2 })).toThrow(/stopToken/);
  });

  it('rejects a non-object cfg, a fractional seed, top_p > 1 (as HF) and a non-boolean useKVCache', () => {
    const err = (f: () => void) => { try { f(); } catch (e) { return e as GenerateError; } throw new Error('no error'); };
    const nul = err(() => validateGenerateConfig(null as never));
    expect(nul).toBeInstanceOf(GenerateError);
    expect(nul.code).toBe('E_ARG');
    expect(nul.message).toMatch(/^GenerateConfig: cfg must be an object .*got null$/);
    expect(err(() => validateGenerateConfig({ ...defaultGenerateConfig(), seed: 1.5 })).message).toBe('GenerateConfig.seed must be a safe integer, got 1.5');
    expect(err(() => validateGenerateConfig({ ...defaultGenerateConfig(), topP: 1.5 })).message).toBe('GenerateConfig.topP must be a number in [0, 1], got 1.5');
    expect(err(() => validateGenerateConfig({ ...defaultGenerateConfig(), useKVCache: 'no' as never })).message).toBe('GenerateConfig.useKVCache must be a boolean, got "no"');
    expect(err(() => validateGenerateConfig({ ...defaultGenerateConfig(), temperature: '1' as never })).message).toMatch(/temperature/);
    validateGenerateConfig({ ...defaultGenerateConfig(), topP: 1, seed: -7 });
  });
});
