import { div, KernelName, mul, neg } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { unbroadcast } from '../unbroadcast';

/** d(a/b) = (dy/b, -dy·(a/b)/b), the second using the saved output y = a/b; broadcast dims summed back. */
export const divGrad: GradConfig = {
  kernelName: KernelName.Div,
  gradFunc: ([dy], { inputs: [a, b], outputs: [y] }) => [
    () => unbroadcast(div(dy, b), a.shape),
    () => unbroadcast(neg(mul(dy, div(y, b))), b.shape),
  ],
};
