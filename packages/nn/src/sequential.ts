import type { Tensor } from '@gorch/tensor';
import { ArgumentError } from './errors';
import { Module } from './module';

/** A module whose forward maps one tensor to one tensor, the kind {@link Sequential} chains. */
export interface TensorModule extends Module {
  forward(x: Tensor): Tensor;
}

/**
 * Runs its layers in order, each output feeding the next (torch.nn.Sequential). Layers are named
 * '0', '1', ..., so parameters are `0.weight`, `2.bias`, as in PyTorch. Throws {@link ArgumentError}
 * naming the position of a layer that is not a Module (torch raises TypeError there too).
 */
export class Sequential extends Module {
  readonly layers: readonly TensorModule[];
  constructor(...layers: TensorModule[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) {
        throw new ArgumentError(`Sequential: layer ${i} must be a Module, got ${m === null ? 'null' : Array.isArray(m) ? 'an array' : typeof m}`);
      }
    });
    this.layers = layers;
    layers.forEach((m, i) => this.registerModule(String(i), m));
  }
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.layers) y = m.forward(y);
    return y;
  }
}
