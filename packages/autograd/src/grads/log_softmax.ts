import { exp, KernelName, mul, sub } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { sumAxes } from '../kernel_ops';
import { axisOf } from './reduce_util';

/** d log_softmax = dy - e^y·Σ_axis dy, from the saved output y (stable for logits of ±1e4). */
export const logSoftmaxGrad: GradConfig<{ axis: number }> = {
  kernelName: KernelName.LogSoftmax,
  gradFunc: ([dy], { outputs: [y], attrs }) => [() => sub(dy, mul(exp(y), sumAxes(dy, [axisOf(y, attrs.axis)], true)))],
};
