import { checkNumel, defaultGenerator, tensor, type Generator, type Tensor } from '@gorch/tensor';

/** Options shared by layers that draw initial weights. */
export interface InitOptions {
  /** Generator for the initial weights; default the global one (`manualSeed`). */
  generator?: Generator;
  /** Allocate weights as zeros instead of drawing them (the caller initialises or loads them). */
  skipInit?: boolean;
}

/**
 * U(-bound, bound) float32 tensor of `shape`. With bound = 1/√fan_in this is PyTorch's default
 * Linear/Conv2d init: kaiming_uniform_(a=√5) gives gain √(2/(1+5)) and bound gain·√(3/fan_in) =
 * 1/√fan_in, the same bound torch uses for the bias. Throws ShapeError above 2^31 − 1 elements.
 */
export function uniform(shape: number[], bound: number, generator: Generator = defaultGenerator): Tensor {
  const n = checkNumel(shape, 'nn.init.uniform');
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (generator.uniform() * 2 - 1) * bound;
  return tensor(v, { shape });
}

/** N(mean, std²) float32 tensor of `shape` (torch.nn.init.normal_). */
export function normal(shape: number[], std = 1, mean = 0, generator: Generator = defaultGenerator): Tensor {
  const n = checkNumel(shape, 'nn.init.normal');
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = mean + std * generator.normal();
  return tensor(v, { shape });
}

/** A float32 tensor of `shape` filled with `value`. */
export function constant(shape: number[], value: number): Tensor {
  const n = checkNumel(shape, 'nn.init.constant');
  const v = new Float32Array(n); // already zero: filling 0 would only touch (commit) every page
  if (!Object.is(value, 0)) v.fill(value);
  return tensor(v, { shape });
}
