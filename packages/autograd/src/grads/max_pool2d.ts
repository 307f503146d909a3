import { arange, engine, eq, ge, KernelName, max, mul, reshape, where } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';

/** Attributes of the MaxPool2D kernel. */
interface MaxPool2DAttrs {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

/**
 * d maxPool2d: each window's gradient goes to the element the forward returned, as PyTorch's
 * max_pool2d backward routes it through the saved indices: the window's LAST NaN if it holds one
 * (its rule `v > max || isnan(v)` lets every NaN take over), else its FIRST maximum (row-major within
 * the window); overlapping windows sum. Written as im2col (padding -Infinity, so it never wins) →
 * one-hot of that position → col2im.
 */
export const maxPool2dGrad: GradConfig<MaxPool2DAttrs> = {
  kernelName: KernelName.MaxPool2D,
  gradFunc: ([dy], { inputs: [x], attrs }) => [
    () => {
      const [N, C] = x.shape;
      const [kh, kw] = attrs.kernelSize;
      const L = dy.shape[2] * dy.shape[3];
      const cols = reshape(engine.runKernel(KernelName.Im2Col, [x], { ...attrs, padValue: -Infinity }), [N, C, kh * kw, L]);
      const position = reshape(arange(kh * kw), [1, 1, kh * kw, 1]);
      const firstMax = engine.runKernel(KernelName.ArgMax, [cols], { axis: 2, keepdim: true }); // [N, C, 1, L]
      const lastNaN = max(where(eq(cols, cols), -1, position), 2, true); // NaN ≠ NaN; -1: none
      const oneHot = eq(position, where(ge(lastNaN, 0), lastNaN, firstMax));
      const dcols = mul(oneHot, reshape(dy, [N, C, 1, L]));
      return engine.runKernel(KernelName.Col2Im, [reshape(dcols, [N, C * kh * kw, L])], { ...attrs, inputShape: [...x.shape] });
    },
  ],
};
