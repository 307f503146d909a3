import { engine, KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** d col2im = im2col(dy) with zero padding (col2im is the adjoint of im2col, and vice versa). */
export const col2imGrad: GradConfig = {
  kernelName: KernelName.Col2Im,
  gradFunc: ([dy], { attrs }) => [
    () => engine.runKernel(KernelName.Im2Col, [dy], {
      kernelSize: attrs.kernelSize,
      stride: attrs.stride,
      padding: attrs.padding,
      dilation: attrs.dilation,
      padValue: 0,
    }),
  ],
};
