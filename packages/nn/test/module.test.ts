import '@gorch/autograd';
import { Generator, tensor, tidy, zeros } from '@gorch/tensor';
import { describe, expect, it } from 'vitest';
import { ArgumentError, Conv2d, Dropout, Embedding, GPT, Linear, LogSoftmax, ReLU, Sequential, Softmax, StateDictError, type GPTConfig } from '../src/index';
import golden from './golden/modules.json';

describe('Module', () => {
  it('names GPT parameters like Hugging Face GPT-2 (the keys torch wrote in nn_modules.py)', () => {
    tidy(() => {
      const c = golden.gpt[0];
      const model = new GPT(c.config as GPTConfig).tieLMHeadToEmbedding();
      // torch's state_dict of the tied model (generator dropped the duplicate lm_head.weight)
      expect(Object.keys(model.stateDict()).sort()).toEqual([...Object.keys(c.params), 'lm_head.weight'].sort());
      expect(Object.keys(model.stateDict())).toContain('h.1.attn.c_attn.bias');
      expect(model.stateDict()['h.0.attn.c_attn.weight'].shape).toEqual([3 * 8, 8]);
    });
  });

  it('Sequential names children 0, 1, 2 like torch.nn.Sequential', () => {
    tidy(() => {
      const m = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1, { bias: false }));
      expect([...m.namedParameters()].map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight']);
      expect(m.numParameters()).toBe(2 * 3 + 3 + 3);
    });
  });

  it('loadStateDict copies in place and rejects wrong shapes, dtypes and keys, writing nothing', () => {
    tidy(() => {
      const m = new Sequential(new Linear(2, 2), new Linear(2, 1));
      const w = m.stateDict()['0.weight'];
      m.loadStateDict({ ...m.stateDict(), '0.weight': tensor([[1, 2], [3, 4]]) });
      expect(m.stateDict()['0.weight']).toBe(w);
      expect([...w.dataSync()]).toEqual([1, 2, 3, 4]);

      const bad = { ...m.stateDict(), '0.bias': zeros([3]), '1.weight': tensor(new Int32Array([1, 2]), { shape: [1, 2] }) };
      const err = (() => {
        try {
          m.loadStateDict(bad);
        } catch (e) {
          return e as StateDictError;
        }
      })();
      expect(err).toBeInstanceOf(StateDictError);
      expect(err!.code).toBe('E_STATE_DICT');
      expect(err!.message).toMatch(/'0\.bias': shape \[3\] does not match the parameter's \[2\]/);
      expect(err!.message).toMatch(/'1\.weight': dtype int32/);
      expect(() => m.loadStateDict({ '0.weight': w })).toThrow(/missing keys: 0\.bias, 1\.weight, 1\.bias/);
      expect(() => m.loadStateDict({ ...m.stateDict(), extra: w })).toThrow(/unexpected keys: extra/);
      expect([...w.dataSync()]).toEqual([1, 2, 3, 4]);
      expect(m.loadStateDict({ '0.weight': tensor([[5, 6], [7, 8]]), extra: w }, { strict: false })).toEqual({
        missingKeys: ['0.bias', '1.weight', '1.bias'],
        unexpectedKeys: ['extra'],
      });
      expect([...w.dataSync()]).toEqual([5, 6, 7, 8]);
    });
  });

  it('train/eval reach every descendant; zeroGrad drops gradients', () => {
    tidy(() => {
      const drop = new Dropout(0.5);
      const m = new Sequential(new Linear(2, 2), drop);
      m.eval();
      expect(drop.training).toBe(false);
      m.train();
      expect(drop.training).toBe(true);
      m.forward(tensor([[1, 2]])).sum().backward();
      expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
      m.zeroGrad();
      expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    });
  });
});

describe('initialisation (PyTorch defaults)', () => {
  it('Linear weight and bias ~ U(-1/sqrt(in), 1/sqrt(in)): bounds and variance bound^2/3', () => {
    tidy(() => {
      const lin = new Linear(64, 512, { generator: new Generator(3) });
      const bound = 1 / 8;
      const w = lin.weight.dataSync();
      let s = 0;
      let s2 = 0;
      for (const v of w) {
        expect(Math.abs(v)).toBeLessThanOrEqual(bound);
        s += v;
        s2 += v * v;
      }
      expect(Math.abs(s / w.length)).toBeLessThan(0.003);
      expect(s2 / w.length).toBeCloseTo((bound * bound) / 3, 4);
      expect(Math.max(...lin.bias!.dataSync().map(Math.abs))).toBeLessThanOrEqual(bound);
    });
  });

  it('grouped Conv2d: weight [out, in/groups, kh, kw] as torch made it, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in/groups*kh*kw', () => {
    tidy(() => {
      // The weight shapes torch.nn.Conv2d produced for the golden grouped / depthwise cases.
      for (const c of golden.modules.filter((m) => m.module === 'Conv2d' && 'groups' in m.config)) {
        const cfg = c.config as { inChannels: number; outChannels: number; kernelSize: number | [number, number]; groups: number };
        expect([...new Conv2d(cfg.inChannels, cfg.outChannels, cfg.kernelSize, { groups: cfg.groups }).weight.shape], c.name).toEqual((c.params as any).weight.shape);
      }
      // torch.nn.init._calculate_fan_in_and_fan_out: fan_in = weight.shape[1] * kh * kw = (64 / 16) * 3 * 3.
      const conv = new Conv2d(64, 256, 3, { groups: 16, generator: new Generator(4) });
      expect(conv.groups).toBe(16);
      const bound = 1 / 6;
      const w = conv.weight.dataSync();
      let s2 = 0;
      let max = 0;
      for (const v of w) {
        max = Math.max(max, Math.abs(v));
        s2 += v * v;
      }
      expect(max).toBeLessThanOrEqual(bound);
      expect(max).toBeGreaterThan(0.99 * bound); // ungrouped fan_in would cap it at 1/24
      expect(s2 / w.length).toBeCloseTo((bound * bound) / 3, 4);
      expect(Math.max(...conv.bias!.dataSync().map(Math.abs))).toBeLessThanOrEqual(bound);
    });
  });

  it('Conv2d groups and Softmax dim: typed E_ARG errors naming the argument', () => {
    const bad = (f: () => unknown, message: RegExp): void => {
      expect(f).toThrow(ArgumentError);
      expect(f).toThrow(expect.objectContaining({ code: 'E_ARG' }));
      expect(f).toThrow(message);
    };
    bad(() => new Conv2d(6, 4, 3, { groups: 4 }), /Conv2d inChannels \(6\) must be divisible by groups \(4\)/);
    bad(() => new Conv2d(4, 6, 3, { groups: 4 }), /Conv2d outChannels \(6\) must be divisible by groups \(4\)/);
    bad(() => new Conv2d(4, 4, 3, { groups: 0 }), /Conv2d groups must be a positive integer, got 0/);
    bad(() => new Conv2d(4, 4, 3, { groups: 1.5 }), /Conv2d groups/);
    bad(() => new Softmax(0.5), /Softmax: dim must be an integer/);
    bad(() => new LogSoftmax(Number.NaN), /LogSoftmax: dim must be an integer/);
    expect(() => new Softmax(2).forward(tensor([[1, 2]]))).toThrow(expect.objectContaining({ code: 'E_INDEX' }));
  });

  it('Embedding ~ N(0, 1); the same generator seed gives the same weights', () => {
    tidy(() => {
      const e = new Embedding(100, 100, { generator: new Generator(5) });
      const v = Array.from(e.weight.dataSync());
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
      expect(Math.abs(mean)).toBeLessThan(0.03);
      expect(Math.abs(variance - 1)).toBeLessThan(0.05);
      expect([...new Embedding(100, 100, { generator: new Generator(5) }).weight.dataSync()]).toEqual(v);
    });
  });
});

describe('GPT init', () => {
  it("'gpt2' follows HF GPT2PreTrainedModel._init_weights: N(0, 0.02), c_proj N(0, 0.02/sqrt(2 nLayer)), zero biases, LayerNorm 1/0", () => {
    tidy(() => {
      const nLayer = 2;
      const model = new GPT({ vocabSize: 500, nPositions: 64, nEmbd: 64, nHead: 4, nLayer }, { generator: new Generator(11) });
      const std = (name: string): number => {
        const v = Array.from(model.stateDict()[name].dataSync());
        return Math.sqrt(v.reduce((a, b) => a + b * b, 0) / v.length);
      };
      expect(std('wte.weight')).toBeCloseTo(0.02, 3);
      expect(std('h.0.mlp.c_fc.weight')).toBeCloseTo(0.02, 3);
      expect(std('h.1.attn.c_proj.weight')).toBeCloseTo(0.02 / Math.sqrt(2 * nLayer), 3);
      expect(std('h.0.attn.c_attn.bias')).toBe(0);
      expect([...new Set(model.stateDict()['ln_f.weight'].dataSync())]).toEqual([1]);
      const none = new GPT({ vocabSize: 5, nPositions: 4, nEmbd: 4, nHead: 1, nLayer: 1 }, { init: 'none' });
      expect([...new Set(none.stateDict()['wte.weight'].dataSync())]).toEqual([0]);
    });
  });
});

describe('Dropout', () => {
  it('zeroes about p of the elements, scales survivors by 1/(1-p), is seedable, and is the identity in eval', () => {
    tidy(() => {
      const x = tensor(new Float32Array(20000).fill(2));
      const y = new Dropout(0.25, { generator: new Generator(7) }).forward(x).dataSync();
      const zerosCount = y.filter((v) => v === 0).length;
      expect(Math.abs(zerosCount / y.length - 0.25)).toBeLessThan(0.015);
      expect(y.every((v) => v === 0 || Math.abs(v - 2 / 0.75) < 1e-6)).toBe(true);
      expect([...new Dropout(0.25, { generator: new Generator(7) }).forward(x).dataSync()]).toEqual([...y]);
      const d = new Dropout(0.25).eval();
      expect(d.forward(x)).toBe(x);
      expect(() => new Dropout(1.5)).toThrow(/p must be in \[0, 1\]/);
    });
  });
});
