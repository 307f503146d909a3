// End-to-end training with @gorch/nn models. The GPT loss curve is torch's: tools/fixtures/optim.py
// (a GPT written from HF GPT-2 semantics in tools/fixtures/gpt_reference.py, torch.optim.AdamW) →
// test/golden/optim.json "gptAdamW". The XOR targets are the XOR truth table.
import '@gorch/autograd';
// A test-only edge: optim itself never imports nn (the DAG forbids it); its tests train nn models.
import { GPT, Linear, ReLU, Sequential, crossEntropy, mseLoss, type GPTConfig } from '@gorch/nn';
import { Generator, numTensors, tensor, tidy } from '@gorch/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from '../src/index';
import golden from './golden/optim.json';
import { fromJson, type JsonTensor } from './helpers';

describe('training', () => {
  it('XOR: Sequential(Linear(2,8), ReLU, Linear(8,1)) + Adam(0.01), 500 epochs, predicts 0,1,1,0', () => {
    tidy(() => {
      const g = new Generator(0);
      const model = new Sequential(new Linear(2, 8, { generator: g }), new ReLU(), new Linear(8, 1, { generator: g }));
      const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
      const y = tensor([[0], [1], [1], [0]]);
      const opt = new Adam(model.parameters(), { lr: 0.01 });
      const live = numTensors();
      let last = Infinity;
      for (let epoch = 0; epoch < 500; epoch++) {
        last = tidy(() => {
          opt.zeroGrad();
          const loss = mseLoss(model.forward(x), y);
          loss.backward();
          opt.step();
          return loss.item();
        });
      }
      opt.zeroGrad();
      // the Adam state (2 moments per parameter) is the only growth over 500 epochs
      expect(numTensors()).toBe(live + 2 * model.parameters().length);
      expect(last).toBeLessThan(0.05);
      const pred = Array.from(model.forward(x).dataSync(), Math.round);
      expect(pred).toEqual([0, 1, 1, 0]);
    });
  });

  it('a small GPT follows torch AdamW loss curve for 10 steps (llm.c test_gpt2 style)', () => {
    tidy(() => {
      const c = golden.gptAdamW;
      const model = new GPT(c.config as GPTConfig, { init: 'none' }).tieLMHeadToEmbedding();
      const params = Object.fromEntries(Object.entries(c.params as Record<string, JsonTensor>).map(([k, v]) => [k, fromJson(v)]));
      model.loadStateDict(params, { strict: false });
      const opt = new AdamW(model.parameters(), { lr: c.adamw.lr, betas: c.adamw.betas as [number, number], eps: c.adamw.eps, weightDecay: c.adamw.weightDecay });
      const ids = fromJson(c.ids as JsonTensor);
      const targets = fromJson(c.targets as JsonTensor);
      const losses: number[] = [];
      for (let step = 0; step < 10; step++) {
        losses.push(
          tidy(() => {
            opt.zeroGrad();
            const loss = crossEntropy(model.forward(ids), targets);
            loss.backward();
            opt.step();
            return loss.item();
          }),
        );
      }
      losses.forEach((l, i) => expect(Math.abs(l - c.losses[i]), `step ${i}: ${l} vs torch ${c.losses[i]}`).toBeLessThan(1e-5));
    });
  });
});
