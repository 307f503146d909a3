import type { Tensor } from '@gorch/tensor';
import { GorchError } from '@gorch/tensor';
import { Optimizer, checkOption, type ParamGroup, type ParamsInput } from './optimizer';

/** Options of {@link SGD} (torch.optim.SGD). */
export interface SGDOptions {
  lr: number;
  /** Momentum factor μ, default 0. */
  momentum?: number;
  /** Dampening τ of the momentum, default 0. */
  dampening?: number;
  /** L2 penalty λ added to the gradient, default 0. */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0), default false. */
  nesterov?: boolean;
}

type Group = Required<SGDOptions>;

/**
 * Stochastic gradient descent with momentum, PyTorch's formulation (torch.optim.SGD; Sutskever et al.
 * 2013 for Nesterov): g ← g + λθ; b ← g on the first step, else μb + (1 − τ)g; g ← g + μb (Nesterov)
 * or b; θ ← θ − lr·g.
 */
export class SGD extends Optimizer<Group> {
  constructor(params: ParamsInput<Group>, options: SGDOptions) {
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...options });
  }

  protected override validate(g: ParamGroup<Group>): void {
    super.validate(g);
    checkOption(g.momentum, 'SGD momentum', 0);
    checkOption(g.dampening, 'SGD dampening', 0);
    checkOption(g.weightDecay, 'SGD weightDecay', 0);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw new GorchError('E_ARG', 'SGD: nesterov momentum requires momentum > 0 and dampening 0');
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup<Group>, state: Record<string, Tensor | number>): Tensor {
    let d = g.weightDecay !== 0 ? grad.add(p.mul(g.weightDecay)) : grad;
    if (g.momentum !== 0) {
      const prev = state.momentumBuffer as Tensor | undefined;
      const buf = prev === undefined ? d.mul(1) : prev.mul(g.momentum).add(d.mul(1 - g.dampening));
      this.setState(state, 'momentumBuffer', buf);
      d = g.nesterov ? d.add(buf.mul(g.momentum)) : buf;
    }
    return p.sub(d.mul(g.lr));
  }
}
