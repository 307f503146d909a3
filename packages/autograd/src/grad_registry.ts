import { GorchError, type Tensor } from '@gorch/tensor';

/**
 * What a gradient function receives about the recorded kernel call: the inputs and outputs exactly as
 * the engine passed them to the recorder, and the kernel attributes.
 */
export interface GradContext<A = any> {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: A;
}

/**
 * A gradient function (vector-Jacobian product) of one kernel. `dys[k]` is the gradient of the loss
 * with respect to output `k` (same shape as that output; zeros stand in for outputs the loss does not
 * reach). It returns, for every input in order, either `null` (not differentiable, e.g. an index
 * tensor) or a thunk computing that input's gradient with the input's own shape. Thunks are only
 * called for inputs that require grad, so unneeded gradients cost nothing (tfjs-core's
 * `gradFunc` returns a map of thunks for the same reason).
 *
 * Thunks run with recording off and inside a `tidy`, so they may freely create temporaries with
 * tensor ops; they must not dispose `dys`, inputs or outputs.
 */
export type GradFunc<A = any> = (dys: readonly Tensor[], ctx: GradContext<A>) => ReadonlyArray<(() => Tensor) | null>;

/** Registration record of a gradient: the kernel it differentiates and its gradient function. */
export interface GradConfig<A = any> {
  kernelName: string;
  gradFunc: GradFunc<A>;
}

const gradients = new Map<string, GradConfig>();

/**
 * Registers (or replaces) the gradient of kernel `kernelName`. Gradients are kept apart from kernels
 * and written with tensor ops, so one gradient serves every backend (tfjs-core's gradient registry).
 */
export function registerGradient<A = any>(config: GradConfig<A>): void {
  if (typeof config?.kernelName !== 'string' || typeof config.gradFunc !== 'function') {
    throw new GorchError('E_ARG', 'registerGradient: expected { kernelName: string, gradFunc: function }');
  }
  gradients.set(config.kernelName, config as GradConfig);
}

/** The gradient registered for `kernelName`, or `undefined`. */
export function getGradient(kernelName: string): GradConfig | undefined {
  return gradients.get(kernelName);
}

/** Names of all kernels that have a registered gradient. */
export function registeredGradients(): string[] {
  return [...gradients.keys()].sort();
}
