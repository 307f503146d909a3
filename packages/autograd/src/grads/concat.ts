import { KernelName } from '@gorch/tensor';
import { slice } from '../kernel_ops';
import type { GradConfig } from '../grad_registry';

/** d cat(xs, axis): each input gets its own slice of dy along `axis`. */
export const concatGrad: GradConfig<{ axis: number }> = {
  kernelName: KernelName.Concat,
  gradFunc: ([dy], { inputs, attrs: { axis } }) => {
    let start = 0;
    return inputs.map((x) => {
      const begin = start;
      const end = (start += x.shape[axis]);
      return () => slice(dy, axis, begin, end);
    });
  },
};
