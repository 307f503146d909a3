import type { Tensor } from '@gorch/tensor';
import { Module } from './module';

/**
 * Flattens dims `startDim`..`endDim` (inclusive, negative counts from the end) into one
 * (torch.nn.Flatten; defaults 1 and -1 keep the batch dim). A view: no copy.
 */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
}
