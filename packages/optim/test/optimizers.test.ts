// Golden values: tools/fixtures/optim.py (python3-torch torch.optim) → test/golden/optim.json.
import '@gorch/autograd';
import { GorchError, getBackendName, numTensors, registeredBackends, setBackend, tensor, tidy, type Tensor } from '@gorch/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Adam, AdamW, SGD, type Optimizer } from '../src/index';
import golden from './golden/optim.json';
import { expectClose, fromJson, type JsonTensor } from './helpers';

interface OptimizerCase {
  kind: 'SGD' | 'Adam' | 'AdamW';
  options: any;
  paramsAfterStep: JsonTensor[][];
}

function make(kind: OptimizerCase['kind'], params: Tensor[], options: any): Optimizer<any> {
  if (kind === 'SGD') return new SGD(params, options);
  return kind === 'Adam' ? new Adam(params, options) : new AdamW(params, options);
}

const initial = getBackendName();

describe.each(registeredBackends())('optimizers vs torch.optim on backend %s', (backend) => {
  beforeEach(() => setBackend(backend));
  afterEach(() => setBackend(initial));

  it.each((golden.optimizers as OptimizerCase[]).map((c) => [`${c.kind} ${JSON.stringify(c.options)}`, c] as const))('%s', (_n, c) => {
    tidy(() => {
      const params = (golden.initialParams as JsonTensor[]).map((j) => {
        const p = fromJson(j);
        p.requiresGrad = true;
        return p;
      });
      const opt = make(c.kind, params, c.options);
      c.paramsAfterStep.forEach((expected, s) => {
        opt.zeroGrad();
        params.forEach((p, i) => (p.grad = fromJson((golden.grads as JsonTensor[][])[s][i])));
        const live = numTensors();
        opt.step();
        // In place and without leaks: same objects, no tensor left behind once the state exists.
        if (s > 0) expect(numTensors()).toBe(live);
        params.forEach((p, i) => expectClose(p, expected[i], 1e-6, 1e-5, `step ${s + 1} param ${i}`));
      });
      opt.dispose();
    });
  });

  it('AdamW defaults to weightDecay 0.01 and Adam to 0 (torch defaults)', () => {
    tidy(() => {
      const p = tensor([1]);
      expect(new AdamW([p]).paramGroups[0].weightDecay).toBe(0.01);
      expect(new Adam([p]).paramGroups[0].weightDecay).toBe(0);
      expect(new Adam([p]).paramGroups[0].betas).toEqual([0.9, 0.999]);
    });
  });

  it('skips parameters without a gradient and rejects bad options with E_ARG', () => {
    tidy(() => {
      const a = tensor([1, 2]);
      const b = tensor([3]);
      a.requiresGrad = b.requiresGrad = true;
      const opt = new SGD([a, b], { lr: 0.5 });
      a.grad = tensor([1, 1]);
      opt.step();
      expect([...a.dataSync()]).toEqual([0.5, 1.5]);
      expect([...b.dataSync()]).toEqual([3]);
      const bad = (f: () => unknown): void => {
        let err: unknown;
        try {
          f();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(GorchError);
        expect((err as GorchError).code).toBe('E_ARG');
      };
      bad(() => new SGD([a], { lr: -1 }));
      bad(() => new SGD([a], { lr: 0.1, nesterov: true }));
      bad(() => new Adam([a], { betas: [1, 0.9] }));
      bad(() => new Adam([a, a]));
      bad(() => new Adam([]));
    });
  });

  it('per-group options override the defaults, and setting lr sets every group', () => {
    tidy(() => {
      const a = tensor([1]);
      const b = tensor([1]);
      const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
      expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
      opt.lr = 0.2;
      expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.2, 0.2]);
    });
  });
});
