import { engine, KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d tril/triu(x) = the same triangle of dy (the op is a fixed 0/1 mask). */
export const triangularGrad: GradConfig = {
  kernelName: KernelName.Triangular,
  gradFunc: ([dy], { attrs }) => [() => engine.runKernel(KernelName.Triangular, [dy], attrs)],
};
