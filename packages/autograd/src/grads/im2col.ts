import { engine, KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/**
 * d im2col = col2im(dy): every column entry flows back to the input pixel it was copied from, summing
 * over overlapping windows; entries read from padding drop out. This carries conv2d's input gradient
 * (conv2d = im2col + matmul) and maxPool2d's (im2col with -inf padding + max).
 */
export const im2colGrad: GradConfig = {
  kernelName: KernelName.Im2Col,
  gradFunc: ([dy], { inputs: [x], attrs }) => [
    () => engine.runKernel(KernelName.Col2Im, [dy], {
      inputShape: [...x.shape],
      kernelSize: attrs.kernelSize,
      stride: attrs.stride,
      padding: attrs.padding,
      dilation: attrs.dilation,
    }),
  ],
};
