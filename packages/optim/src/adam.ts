import type { Tensor } from '@gorch/tensor';
import { Optimizer, checkOption, type ParamGroup, type ParamsInput } from './optimizer';

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Decay rates (β1, β2) of the moment estimates, default [0.9, 0.999]. */
  betas?: [number, number];
  /** Added to the denominator, default 1e-8. */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay rate (default 0.01). */
  weightDecay?: number;
}

type Group = Required<AdamOptions>;

/**
 * Adam (Kingma & Ba 2015) with PyTorch's arithmetic (torch.optim.Adam, amsgrad off): g ← g + λθ;
 * m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps).
 */
export class Adam extends Optimizer<Group> {
  /** True for AdamW: decay multiplies θ by (1 − lr·λ) instead of entering the gradient. */
  protected readonly decoupled: boolean = false;

  constructor(params: ParamsInput<Group>, options: AdamOptions = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, ...options });
  }

  protected override validate(g: ParamGroup<Group>): void {
    super.validate(g);
    checkOption(g.betas?.[0], `${this.constructor.name} betas[0]`, 0, 1);
    checkOption(g.betas?.[1], `${this.constructor.name} betas[1]`, 0, 1);
    checkOption(g.eps, `${this.constructor.name} eps`, 0);
    checkOption(g.weightDecay, `${this.constructor.name} weightDecay`, 0);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup<Group>, state: Record<string, Tensor | number>): Tensor {
    const [b1, b2] = g.betas;
    const step = ((state.step as number | undefined) ?? 0) + 1;
    this.setState(state, 'step', step);
    let theta = p;
    let d = grad;
    if (g.weightDecay !== 0) {
      if (this.decoupled) theta = p.mul(1 - g.lr * g.weightDecay);
      else d = grad.add(p.mul(g.weightDecay));
    }
    const m0 = state.expAvg as Tensor | undefined;
    const v0 = state.expAvgSq as Tensor | undefined;
    const m = m0 === undefined ? d.mul(1 - b1) : m0.mul(b1).add(d.mul(1 - b1));
    const v = v0 === undefined ? d.mul(d).mul(1 - b2) : v0.mul(b2).add(d.mul(d).mul(1 - b2));
    this.setState(state, 'expAvg', m);
    this.setState(state, 'expAvgSq', v);
    const stepSize = g.lr / (1 - b1 ** step);
    const denom = v.sqrt().div(Math.sqrt(1 - b2 ** step)).add(g.eps);
    return theta.sub(m.div(denom).mul(stepSize));
  }
}

/**
 * AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization"; torch.optim.AdamW):
 * θ ← θ·(1 − lr·λ) first, then the {@link Adam} update without decay in the gradient.
 * Default weightDecay 0.01, as in PyTorch.
 */
export class AdamW extends Adam {
  protected override readonly decoupled = true;
  constructor(params: ParamsInput<Group>, options: AdamOptions = {}) {
    super(params, { weightDecay: 0.01, ...options });
  }
}
