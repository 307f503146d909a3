import { engine, KernelName, reshape, type Tensor } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { matmul, sumAxes, transposeLast2 } from '../kernel_ops';

/** Attributes of the Conv2D kernel. */
interface Conv2DAttrs {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}

/**
 * d conv2d through its im2col form y[n, g] = W[g] · cols[n, g] (W[g]: [O/groups, K], cols: [K, oh·ow],
 * K = C/groups·kh·kw): dx = col2im(W[g]ᵀ · dy[n, g]), dW[g] = Σₙ dy[n, g] · cols[n, g]ᵀ, db = Σ dy over
 * N, oh, ow (the backward of torch's conv2d, written with the Im2Col / Col2Im / MatMul kernels).
 */
export const conv2dGrad: GradConfig<Conv2DAttrs> = {
  kernelName: KernelName.Conv2D,
  gradFunc: ([dy], { inputs: [x, weight], attrs }) => {
    const [N, C] = x.shape;
    const [O, Cg, kh, kw] = weight.shape;
    const G = attrs.groups;
    const K = Cg * kh * kw;
    const L = dy.shape[2] * dy.shape[3];
    const win = { kernelSize: [kh, kw], stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation };
    const dyG = (): Tensor => reshape(dy, [N, G, O / G, L]);
    return [
      () => {
        const dcols = matmul(transposeLast2(reshape(weight, [G, O / G, K])), dyG()); // [N, G, K, L]
        return engine.runKernel(KernelName.Col2Im, [reshape(dcols, [N, C * kh * kw, L])], { ...win, inputShape: [...x.shape] });
      },
      () => {
        const cols = reshape(engine.runKernel(KernelName.Im2Col, [x], { ...win, padValue: 0 }), [N, G, K, L]);
        return reshape(sumAxes(matmul(dyG(), transposeLast2(cols)), [0], false), weight.shape);
      },
      () => sumAxes(dy, [0, 2, 3], false),
    ];
  },
};
