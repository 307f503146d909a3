import { noGrad } from '@gorch/autograd';
import { GorchError, engine, tidy, type Tensor } from '@gorch/tensor';

/** Hyper-parameters shared by every group: at least a learning rate. */
export interface GroupOptions {
  lr: number;
}

/** A parameter group (torch `param_groups` entry): tensors and the options they are updated with. */
export type ParamGroup<O extends GroupOptions> = O & {
  params: Tensor[];
  /** Learning rate the schedulers start from (torch `initial_lr`). */
  initialLr: number;
};

/** Parameters as accepted by optimizers: a list of tensors, or groups with per-group option overrides. */
export type ParamsInput<O extends GroupOptions> = Iterable<Tensor> | ({ params: Iterable<Tensor> } & Partial<O>)[];

/** Throws `E_ARG` naming `what` unless `v` is a finite number ≥ `min` (and < `below` when given). */
export function checkOption(v: number, what: string, min: number, below?: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (below !== undefined && v >= below)) {
    throw new GorchError('E_ARG', `${what} must be a finite number ≥ ${min}${below !== undefined ? ` and < ${below}` : ''}, got ${v}`);
  }
}

/**
 * Base class of optimizers (torch.optim.Optimizer). Holds parameter groups and per-parameter state;
 * `step()` updates every parameter that has a gradient, without recording (noGrad) and in place: the
 * parameter objects keep their identity (`engine.assign`) and replaced state tensors are freed, so a
 * training loop does not grow memory. Subclasses implement {@link Optimizer.update}.
 */
export abstract class Optimizer<O extends GroupOptions = GroupOptions> {
  readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state (momentum buffers, moments, step counts). */
  protected readonly state = new Map<Tensor, Record<string, Tensor | number>>();

  constructor(params: ParamsInput<O>, defaults: O) {
    const list = [...(params as Iterable<unknown>)];
    const groups = list.length > 0 && !isTensorLike(list[0]) ? (list as ({ params: Iterable<Tensor> } & Partial<O>)[]) : [{ params: list as Tensor[] }];
    this.paramGroups = groups.map((g) => {
      const merged = { ...defaults, ...g, params: [...g.params] } as ParamGroup<O>;
      merged.initialLr = merged.lr;
      this.validate(merged);
      return merged;
    });
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (!isTensorLike(p)) throw new GorchError('E_ARG', `${this.constructor.name}: params must be tensors`);
        if (seen.has(p)) throw new GorchError('E_ARG', `${this.constructor.name}: a parameter appears twice (e.g. a tied weight passed twice); pass module.parameters(), which lists shared tensors once`);
        seen.add(p);
      }
    }
    if (seen.size === 0) throw new GorchError('E_ARG', `${this.constructor.name}: got an empty parameter list`);
  }

  /** Learning rate of the first group (setting it sets every group's). */
  get lr(): number {
    return this.paramGroups[0].lr;
  }
  set lr(v: number) {
    checkOption(v, 'lr', 0);
    for (const g of this.paramGroups) g.lr = v;
  }

  /** One update of every parameter whose `grad` is set (torch `step()`); parameters without a gradient are skipped. */
  step(): void {
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          const grad = p.grad;
          if (grad === null) continue;
          let st = this.state.get(p);
          if (st === undefined) this.state.set(p, (st = {}));
          const s = st;
          const next = tidy(() => this.update(p, grad, g, s));
          // tidy returned `next`; after the assignment `p` shares its storage, so the handle can go.
          engine.assign(p, next);
          next.dispose();
        }
      }
    });
  }

  /** Drops every parameter's gradient (torch `zero_grad(set_to_none=True)`), disposing it. */
  zeroGrad(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        p.grad?.dispose();
        p.grad = null;
      }
    }
  }

  /** Frees the optimizer state (moment buffers). The optimizer restarts from step 0 afterwards. */
  dispose(): void {
    for (const st of this.state.values()) for (const v of Object.values(st)) if (typeof v !== 'number') v.dispose();
    this.state.clear();
  }

  /**
   * Returns the new value of `param` from its gradient, the group options and its `state` (runs inside
   * noGrad and tidy; store state with {@link Optimizer.setState} so it survives the tidy).
   */
  protected abstract update(param: Tensor, grad: Tensor, group: ParamGroup<O>, state: Record<string, Tensor | number>): Tensor;

  /** Checks a group's options; throws `E_ARG`. */
  protected validate(group: ParamGroup<O>): void {
    checkOption(group.lr, 'lr', 0);
  }

  /** Stores `value` as state `key` (kept out of tidy scopes), disposing the tensor it replaces. */
  protected setState(state: Record<string, Tensor | number>, key: string, value: Tensor | number): void {
    const old = state[key];
    if (old !== undefined && typeof old !== 'number' && old !== value) old.dispose();
    state[key] = typeof value === 'number' ? value : engine.keep(value);
  }
}

function isTensorLike(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && 'dataId' in x && 'shape' in x;
}
