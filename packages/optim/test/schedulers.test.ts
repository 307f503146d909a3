// Golden values: tools/fixtures/optim.py (torch.optim.lr_scheduler; HF get_cosine_schedule_with_warmup
// rebuilt with LambdaLR) → test/golden/optim.json.
import { tensor } from '@gorch/tensor';
import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, SGD, StepLR, linearWarmupCosine, type LRScheduler } from '../src/index';
import golden from './golden/optim.json';

describe('learning-rate schedulers vs torch', () => {
  it.each(golden.schedulers.map((c) => [`${c.kind} ${JSON.stringify(c.options)}`, c] as const))('%s', (_n, c) => {
    const opt = new SGD([tensor([0])], { lr: c.baseLr });
    const o = c.options as any;
    const sched: LRScheduler =
      c.kind === 'StepLR' ? new StepLR(opt, o) : c.kind === 'CosineAnnealingLR' ? new CosineAnnealingLR(opt, o) : linearWarmupCosine(opt, o);
    c.lrs.forEach((expected, epoch) => {
      expect(opt.lr, `epoch ${epoch}`).toBeCloseTo(expected, 12);
      expect(sched.getLastLr()).toEqual([opt.lr]);
      opt.step();
      sched.step();
    });
  });

  it('rejects bad options', () => {
    const opt = new SGD([tensor([0])], { lr: 0.1 });
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(/stepSize must be a positive integer/);
    expect(() => new CosineAnnealingLR(opt, { tMax: 2.5 })).toThrow(/tMax/);
    expect(() => linearWarmupCosine(opt, { warmupSteps: 5, totalSteps: 3 })).toThrow(/totalSteps/);
  });
});
