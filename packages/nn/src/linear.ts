import { linear, type Tensor } from '@gorch/tensor';
import { ArgumentError } from './errors';
import { constant, uniform, type InitOptions } from './init';
import { Module } from './module';

/** Options of {@link Linear}. */
export interface LinearOptions extends InitOptions {
  /** Learn an additive bias. Default true. */
  bias?: boolean;
}

/**
 * y = x Wᵀ + b (torch.nn.Linear). `weight` is [outFeatures, inFeatures], `bias` [outFeatures].
 * Input [..., inFeatures] float32 → output [..., outFeatures]. Initialisation is PyTorch's:
 * weight and bias ~ U(-1/√inFeatures, 1/√inFeatures) (kaiming_uniform_ with a = √5).
 * Runs the tensor package's `Linear` kernel, so no transposed weight is materialised.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkSize(inFeatures, 'inFeatures');
    checkSize(outFeatures, 'outFeatures');
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = 1 / Math.sqrt(inFeatures);
    const draw = (shape: number[]): Tensor => (options.skipInit ? constant(shape, 0) : uniform(shape, bound, options.generator));
    this.registerParameter('weight', draw([outFeatures, inFeatures]));
    if (options.bias ?? true) this.registerParameter('bias', draw([outFeatures]));
  }

  /** Weight [outFeatures, inFeatures]. */
  get weight(): Tensor {
    return this.getParameter('weight');
  }

  /** Bias [outFeatures], or null when built with `bias: false`. */
  get bias(): Tensor | null {
    return this.hasParameter('bias') ? this.getParameter('bias') : null;
  }

  /** Makes `weight` the given tensor (weight tying, e.g. an LM head sharing the token embedding). */
  tieWeight(weight: Tensor): void {
    this.replaceParameter('weight', weight);
  }

  /** x [..., inFeatures] → [..., outFeatures]. Throws ShapeError (from the op) on a size mismatch. */
  forward(x: Tensor): Tensor {
    const b = this.bias;
    return b === null ? linear(x, this.weight) : linear(x, this.weight, b);
  }
}

/** Throws `E_ARG` unless `n` is a positive integer. */
export function checkSize(n: number, what: string): void {
  if (!Number.isInteger(n) || n <= 0) throw new ArgumentError(`${what} must be a positive integer, got ${n}`);
}
