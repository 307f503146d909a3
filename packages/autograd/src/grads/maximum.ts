import { eq, KernelName, lt, mul, where } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { unbroadcast } from '../unbroadcast';

// torch.maximum / torch.minimum (PyTorch derivatives.yaml, maximum:
// `at::where(self == other, grad / 2, grad).masked_fill_(self < other, 0)`, and `self > other` for
// `other`): an operand gets the whole gradient unless it strictly loses, half of it when the two are
// equal. Written with "loses" rather than "wins" so that a NaN on either side, which compares false,
// sends the whole gradient to both, as torch does.
export function elementwiseExtremum(kernelName: string, loses: typeof lt): GradConfig {
  return {
    kernelName,
    gradFunc: ([dy], { inputs: [a, b] }) => {
      const share = (first: typeof a, second: typeof a) => where(loses(first, second), 0, where(eq(first, second), mul(dy, 0.5), dy));
      return [() => unbroadcast(share(a, b), a.shape), () => unbroadcast(share(b, a), b.shape)];
    },
  };
}

/** Gradient of element-wise `maximum(a, b)`: an operand below the other gets none. */
export const maximumGrad = elementwiseExtremum(KernelName.Maximum, lt);
