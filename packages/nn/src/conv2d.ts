import { conv2d, type Tensor } from '@gorch/tensor';
import { ArgumentError } from './errors';
import { constant, uniform, type InitOptions } from './init';
import { checkSize } from './linear';
import { Module } from './module';

/** An int or an [h, w] pair, as torch's `_pair` arguments. */
export type Pair = number | [number, number];

/** Options of {@link Conv2d}. */
export interface Conv2dOptions extends InitOptions {
  /** Default 1. */
  stride?: Pair;
  /** Zero padding on each side; default 0. */
  padding?: Pair;
  /** Default 1. */
  dilation?: Pair;
  /** Learn a bias per output channel; default true. */
  bias?: boolean;
  /**
   * Split the channels into this many independent convolutions (torch `groups`); default 1.
   * `inChannels` and `outChannels` must both be multiples of it; groups = inChannels is a
   * depthwise convolution.
   */
  groups?: number;
}

/** Normalises an int-or-pair argument, throwing `E_ARG` unless each entry is an integer ≥ min. */
export function pair(v: Pair, what: string, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!Array.isArray(v) && typeof v !== 'number') throw new ArgumentError(`${what} must be an int or [h, w], got ${JSON.stringify(v)}`);
  if (p.some((x) => !Number.isInteger(x) || x < min)) throw new ArgumentError(`${what} must be integers ≥ ${min}, got ${JSON.stringify(v)}`);
  return p;
}

/** Checks torch's constraints on `groups`: a positive integer dividing both channel counts. */
function checkGroups(groups: number, inChannels: number, outChannels: number): number {
  if (!Number.isInteger(groups) || groups < 1) throw new ArgumentError(`Conv2d groups must be a positive integer, got ${JSON.stringify(groups)}`);
  if (inChannels % groups !== 0) throw new ArgumentError(`Conv2d inChannels (${inChannels}) must be divisible by groups (${groups})`);
  if (outChannels % groups !== 0) throw new ArgumentError(`Conv2d outChannels (${outChannels}) must be divisible by groups (${groups})`);
  return groups;
}

/**
 * 2-D convolution (torch.nn.Conv2d): input [N, Cin, H, W] → [N, Cout, Ho, Wo] with
 * Ho = ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1. With `groups` = g, output channels of group j see only
 * input channels of group j. `weight` [Cout, Cin/g, kh, kw], `bias` [Cout]; both initialised
 * U(−1/√fan_in, +1/√fan_in) with fan_in = (Cin/g)·kh·kw, like PyTorch's reset_parameters.
 * Throws {@link ArgumentError} `E_ARG` for a bad size or option, naming it (e.g. `Conv2d groups`).
 */
export class Conv2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  /** Number of channel groups (torch `groups`); 1 for an ordinary convolution. */
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, options: Conv2dOptions = {}) {
    super();
    checkSize(inChannels, 'Conv2d inChannels');
    checkSize(outChannels, 'Conv2d outChannels');
    this.kernelSize = pair(kernelSize, 'Conv2d kernelSize', 1);
    this.stride = pair(options.stride ?? 1, 'Conv2d stride', 1);
    this.padding = pair(options.padding ?? 0, 'Conv2d padding', 0);
    this.dilation = pair(options.dilation ?? 1, 'Conv2d dilation', 1);
    this.groups = checkGroups(options.groups ?? 1, inChannels, outChannels);
    const [kh, kw] = this.kernelSize;
    const bound = 1 / Math.sqrt((inChannels / this.groups) * kh * kw);
    const draw = (shape: number[]): Tensor => (options.skipInit ? constant(shape, 0) : uniform(shape, bound, options.generator));
    this.registerParameter('weight', draw([outChannels, inChannels / this.groups, kh, kw]));
    if (options.bias ?? true) this.registerParameter('bias', draw([outChannels]));
  }

  /** Weight [Cout, Cin/groups, kh, kw]. */
  get weight(): Tensor {
    return this.getParameter('weight');
  }
  /** Bias [Cout], or null. */
  get bias(): Tensor | null {
    return this.hasParameter('bias') ? this.getParameter('bias') : null;
  }

  /** x [N, Cin, H, W] → [N, Cout, Ho, Wo]. Shape errors come from the op. */
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias ?? undefined, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}
