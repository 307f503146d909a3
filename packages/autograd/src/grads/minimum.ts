import { KernelName, lt } from '@gorch/tensor';
import { elementwiseExtremum } from './maximum';

/** Gradient of element-wise `minimum(a, b)`. */
export const minimumGrad = elementwiseExtremum(KernelName.Minimum, lt);
