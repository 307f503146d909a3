import { KernelName, zeros } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { concat } from '../kernel_ops';

/** d x[..., start:end, ...] = dy padded with zeros back to x's extent along `axis`. */
export const sliceGrad: GradConfig<{ axis: number; start: number; end: number }> = {
  kernelName: KernelName.Slice,
  gradFunc: ([dy], { inputs: [x], attrs: { axis, start, end } }) => [
    () => {
      const pad = (n: number) => zeros(x.shape.map((d, i) => (i === axis ? n : d)));
      const parts = [];
      if (start > 0) parts.push(pad(start));
      parts.push(dy);
      if (end < x.shape[axis]) parts.push(pad(x.shape[axis] - end));
      return parts.length === 1 ? dy : concat(parts, axis);
    },
  ],
};
