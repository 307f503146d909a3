import { KernelName } from '@gorch/tensor';
import { extremumReductionGrad } from './max';

/** d min_axes x. */
export const minGrad = extremumReductionGrad(KernelName.Min);
