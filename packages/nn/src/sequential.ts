import type { Tensor } from '@gorch/tensor';
import { Module } from './module';

/** A module whose forward maps one tensor to one tensor, the kind {@link Sequential} chains. */
export interface TensorModule extends Module {
  forward(x: Tensor): Tensor;
}

/**
 * Runs its layers in order, each output feeding the next (torch.nn.Sequential). Layers are named
 * '0', '1', ..., so parameters are `0.weight`, `2.bias`, as in PyTorch.
 */
export class Sequential extends Module {
  readonly layers: readonly TensorModule[];
  constructor(...layers: TensorModule[]) {
    super();
    this.layers = layers;
    layers.forEach((m, i) => this.registerModule(String(i), m));
  }
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.layers) y = m.forward(y);
    return y;
  }
}
