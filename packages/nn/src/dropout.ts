import { defaultGenerator, tensor, type Generator, type Tensor } from '@gorch/tensor';
import { ArgumentError } from './errors';
import { Module } from './module';

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Generator for the masks (seed it for reproducible training); default the global one. */
  generator?: Generator;
}

/**
 * Inverted dropout (Srivastava et al. 2014; torch.nn.Dropout): in training mode each element is zeroed
 * with probability `p` and the survivors are scaled by 1/(1-p); in eval mode (or with p = 0) it
 * returns the input itself. Masks are drawn in JS from the generator, so a seed gives the same mask on
 * every backend (not torch's mask). Throws `E_ARG` unless 0 ≤ p ≤ 1.
 */
export class Dropout extends Module {
  private readonly generator: Generator;
  constructor(readonly p = 0.5, options: DropoutOptions = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ArgumentError(`Dropout: p must be in [0, 1], got ${p}`);
    this.generator = options.generator ?? defaultGenerator;
  }
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const scale = this.p === 1 ? 0 : 1 / (1 - this.p);
    const m = new Float32Array(x.size);
    for (let i = 0; i < m.length; i++) m[i] = this.generator.uniform() < this.p ? 0 : scale;
    return x.mul(tensor(m, { shape: [...x.shape] }));
  }
}
