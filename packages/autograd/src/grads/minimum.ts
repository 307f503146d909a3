import { gt, KernelName } from '@gorch/tensor';
import { elementwiseExtremum } from './maximum';

/** Gradient of element-wise `minimum(a, b)`: an operand above the other gets none. */
export const minimumGrad = elementwiseExtremum(KernelName.Minimum, gt);
