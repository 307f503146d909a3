import { eq, gt, KernelName, mul, where } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { unbroadcast } from '../unbroadcast';

// torch.maximum / torch.minimum split the gradient evenly between equal operands
// (PyTorch derivatives.yaml: `at::where(self == other, grad / 2, grad).masked_fill_(self < other, 0)`).
export function elementwiseExtremum(kernelName: string, wins: typeof gt): GradConfig {
  return {
    kernelName,
    gradFunc: ([dy], { inputs: [a, b] }) => {
      const share = (first: typeof a, second: typeof a) => where(wins(first, second), dy, where(eq(first, second), mul(dy, 0.5), 0));
      return [() => unbroadcast(share(a, b), a.shape), () => unbroadcast(share(b, a), b.shape)];
    },
  };
}

/** Gradient of element-wise `maximum(a, b)`. */
export const maximumGrad = elementwiseExtremum(KernelName.Maximum, gt);
