// Golden values: tools/fixtures/optim.py (torch.nn.utils.clip_grad_norm_) → test/golden/optim.json.
import { tensor, tidy, zeros } from '@gorch/tensor';
import { describe, expect, it } from 'vitest';
import { clipGradNorm } from '../src/index';
import golden from './golden/optim.json';
import { expectClose, fromJson, type JsonTensor } from './helpers';

describe('clipGradNorm vs torch', () => {
  it.each(golden.clipGradNorm.map((c) => [`maxNorm ${c.maxNorm} norm ${c.normType}`, c] as const))('%s', (_n, c) => {
    tidy(() => {
      const params = (c.grads as JsonTensor[]).map((g) => {
        const p = zeros(g.shape);
        p.requiresGrad = true;
        p.grad = fromJson(g);
        return p;
      });
      const grads = params.map((p) => p.grad);
      const total = clipGradNorm(params, c.maxNorm, c.normType as number | 'inf');
      expect(Math.abs(total - c.totalNorm)).toBeLessThanOrEqual(1e-5 * c.totalNorm);
      params.forEach((p, i) => {
        expect(p.grad).toBe(grads[i]);
        expectClose(p.grad, (c.clipped as JsonTensor[])[i], 1e-6, 1e-5, `clipped grad ${i}`);
      });
    });
  });

  it('skips parameters without gradients and rejects bad arguments', () => {
    tidy(() => {
      expect(clipGradNorm([tensor([1])], 1)).toBe(0);
      expect(() => clipGradNorm([], -1)).toThrow(/maxNorm/);
      expect(() => clipGradNorm([], 1, 0)).toThrow(/normType/);
    });
  });
});
