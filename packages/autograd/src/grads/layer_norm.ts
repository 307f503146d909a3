import { add, div, KernelName, mul, sqrt, sub, type Tensor } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { meanAxes, sumAxes } from '../kernel_ops';

interface LayerNormAttrs {
  normalizedShape: number[];
  eps: number;
  hasWeight: boolean;
  hasBias: boolean;
}

/**
 * d layer_norm (Ba et al. 2016) over the trailing `normalizedShape` dims, x̂ = (x - μ)·rstd,
 * rstd = 1/√(σ² + eps) with the biased variance:
 * dx = rstd·(g - mean(g) - x̂·mean(g·x̂)) with g = dy·weight; dweight = Σ_lead dy·x̂; dbias = Σ_lead dy.
 * μ and rstd are recomputed from x (cheaper than making the kernel return them).
 */
export const layerNormGrad: GradConfig<LayerNormAttrs> = {
  kernelName: KernelName.LayerNorm,
  gradFunc: ([dy], { inputs, attrs }) => {
    const [x] = inputs;
    const weight = attrs.hasWeight ? inputs[1] : undefined;
    const k = attrs.normalizedShape.length;
    const normAxes = range(x.ndim - k, x.ndim);
    const leadAxes = range(0, x.ndim - k);
    const normalize = (): { xhat: Tensor; rstd: Tensor } => {
      const centered = sub(x, meanAxes(x, normAxes, true));
      const rstd = div(1, sqrt(add(meanAxes(mul(centered, centered), normAxes, true), attrs.eps)));
      return { xhat: mul(centered, rstd), rstd };
    };
    const thunks: Array<(() => Tensor) | null> = [
      () => {
        const { xhat, rstd } = normalize();
        const g = weight ? mul(dy, weight) : dy;
        const inner = sub(sub(g, meanAxes(g, normAxes, true)), mul(xhat, meanAxes(mul(g, xhat), normAxes, true)));
        return mul(inner, rstd);
      },
    ];
    const sumLead = (t: Tensor): Tensor => (leadAxes.length > 0 ? sumAxes(t, leadAxes, false) : t);
    if (attrs.hasWeight) thunks.push(() => sumLead(mul(dy, normalize().xhat)));
    if (attrs.hasBias) thunks.push(() => sumLead(dy));
    return thunks;
  },
};

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
