import { arange, engine, eq, KernelName, mul, reshape } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** Attributes of the MaxPool2D kernel. */
interface MaxPool2DAttrs {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

/**
 * d maxPool2d: each window's gradient goes to its FIRST maximum (row-major within the window), as
 * PyTorch's max_pool2d backward routes it through the saved argmax indices; overlapping windows sum.
 * Written as im2col (padding -Infinity, so it never wins) → one-hot of the argmax → col2im.
 */
export const maxPool2dGrad: GradConfig<MaxPool2DAttrs> = {
  kernelName: KernelName.MaxPool2D,
  gradFunc: ([dy], { inputs: [x], attrs }) => [
    () => {
      const [N, C] = x.shape;
      const [kh, kw] = attrs.kernelSize;
      const L = dy.shape[2] * dy.shape[3];
      const cols = reshape(engine.runKernel(KernelName.Im2Col, [x], { ...attrs, padValue: -Infinity }), [N, C, kh * kw, L]);
      const first = engine.runKernel(KernelName.ArgMax, [cols], { axis: 2, keepdim: true }); // [N, C, 1, L]
      const oneHot = eq(reshape(arange(kh * kw), [1, 1, kh * kw, 1]), first);
      const dcols = mul(oneHot, reshape(dy, [N, C, 1, L]));
      return engine.runKernel(KernelName.Col2Im, [reshape(dcols, [N, C * kh * kw, L])], { ...attrs, inputShape: [...x.shape] });
    },
  ],
};
