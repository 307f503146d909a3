import { noGrad } from '@gorch/autograd';
import { GorchError, engine, tidy, type Tensor } from '@gorch/tensor';

/**
 * Rescales gradients in place so their joint norm is at most `maxNorm`
 * (torch.nn.utils.clip_grad_norm_): total = ‖(‖g₁‖, ‖g₂‖, …)‖ over the parameters that have a
 * gradient (p-norm with `normType` 2 by default, or 'inf' for the largest |g|); every gradient is
 * multiplied by min(1, maxNorm / (total + 1e-6)). Returns the total norm before clipping, as a number.
 * Parameters without a gradient are skipped. Throws `E_ARG` for a negative or non-finite `maxNorm` or
 * a `normType` that is not a positive number or 'inf'.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType: number | 'inf' = 2): number {
  if (!(maxNorm >= 0) || !Number.isFinite(maxNorm)) throw new GorchError('E_ARG', `clipGradNorm: maxNorm must be a finite number ≥ 0, got ${maxNorm}`);
  const inf = normType === 'inf' || normType === Infinity;
  if (!inf && !(typeof normType === 'number' && normType > 0 && Number.isFinite(normType))) {
    throw new GorchError('E_ARG', `clipGradNorm: normType must be a positive number or 'inf', got ${normType}`);
  }
  const grads = [...params].map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return 0;
  return noGrad(() => {
    const total = tidy(() => {
      let acc = 0;
      for (const g of grads) {
        if (inf) acc = Math.max(acc, g.abs().max().item());
        else acc += g.abs().pow(normType as number).sum().item();
      }
      return inf ? acc : acc ** (1 / (normType as number));
    });
    const coef = Math.min(1, maxNorm / (total + 1e-6));
    if (coef < 1) {
      for (const g of grads) {
        const scaled = g.mul(coef);
        engine.assign(g, scaled);
        scaled.dispose();
      }
    }
    return total;
  });
}
