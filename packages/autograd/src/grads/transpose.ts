import { KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { permute } from '../kernel_ops';

/** d permute(x, perm) = permute(dy, perm⁻¹). */
export const transposeGrad: GradConfig<{ perm: number[] }> = {
  kernelName: KernelName.Transpose,
  gradFunc: ([dy], { attrs }) => {
    const inverse = new Array<number>(attrs.perm.length);
    attrs.perm.forEach((p, i) => (inverse[p] = i));
    return [() => permute(dy, inverse)];
  },
};
