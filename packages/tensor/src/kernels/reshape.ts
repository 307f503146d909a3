import type { KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import type { Shape } from '../shape';

/** `Reshape`: returns the input's storage with a new shape (a view: no copy). */
export const reshapeKernel: KernelConfig<{ shape: Shape }> = {
  kernelName: KernelName.Reshape,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => ({ dataId: inputs[0].dataId, shape: attrs.shape, dtype: inputs[0].dtype }),
};
