import { maxPool2d, type Tensor } from '@gorch/tensor';
import { pair, type Pair } from './conv2d';
import { Module } from './module';

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dOptions {
  /** Default: the kernel size (torch's default). */
  stride?: Pair;
  /** Implicit −∞ padding on each side, at most half the kernel; default 0. */
  padding?: Pair;
  /** Default 1. */
  dilation?: Pair;
}

/**
 * 2-D max pooling (torch.nn.MaxPool2d, floor mode): [N, C, H, W] → [N, C, Ho, Wo] with the window
 * formula of {@link Conv2d}. The gradient flows to the first maximum of each window.
 */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  constructor(kernelSize: Pair, options: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = pair(kernelSize, 'MaxPool2d kernelSize', 1);
    this.stride = pair(options.stride ?? kernelSize, 'MaxPool2d stride', 1);
    this.padding = pair(options.padding ?? 0, 'MaxPool2d padding', 0);
    this.dilation = pair(options.dilation ?? 1, 'MaxPool2d dilation', 1);
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }
}
