import { layerNorm, type Tensor } from '@gorch/tensor';
import { checkSize } from './linear';
import { constant } from './init';
import { Module } from './module';

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance before the square root. Default 1e-5 (torch and GPT-2's layer_norm_epsilon). */
  eps?: number;
  /** Learn `weight` (init ones) and `bias` (init zeros). Default true. */
  elementwiseAffine?: boolean;
}

/**
 * Layer normalisation over the last dim (Ba et al. 2016; torch.nn.LayerNorm with an int
 * normalized_shape): y = (x - mean) / √(var + eps) · weight + bias, biased variance.
 * Input [..., normalizedShape] float32 → same shape.
 */
export class LayerNorm extends Module {
  readonly eps: number;
  constructor(readonly normalizedShape: number, options: LayerNormOptions = {}) {
    super();
    checkSize(normalizedShape, 'LayerNorm normalizedShape');
    this.eps = options.eps ?? 1e-5;
    if (options.elementwiseAffine ?? true) {
      this.registerParameter('weight', constant([normalizedShape], 1));
      this.registerParameter('bias', constant([normalizedShape], 0));
    }
  }
  forward(x: Tensor): Tensor {
    const affine = this.hasParameter('weight');
    return layerNorm(x, [this.normalizedShape], affine ? this.getParameter('weight') : undefined, affine ? this.getParameter('bias') : undefined, this.eps);
  }
}
