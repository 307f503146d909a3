import { bitsOf, makeArray, promoteTypes, type DType, type TypedArray } from '../dtype';
import { readInput, type KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { gemmNN } from './gemm';
import { geometry, im2colInto, type WindowAttrs } from './im2col';
import { result } from './util';

const asF32 = (v: TypedArray): Float32Array => (v instanceof Float32Array ? v : Float32Array.from(v));
const finish = (out: Float32Array, dtype: DType): TypedArray => (dtype === 'float32' ? out : Int32Array.from(out, Math.round));

/** Attributes of the Conv2D kernel. */
export interface Conv2DAttrs extends Omit<WindowAttrs, 'kernelSize'> {
  groups: number;
}

/**
 * `Conv2D` [x (N,C,H,W), weight (O, C/groups, kh, kw), bias? (O)] {stride, padding, dilation, groups} →
 * [N, O, oh, ow] (torch.nn.functional.conv2d, a cross-correlation). im2col + gemm (Chellapilla et al.
 * 2006): one [C/groups·kh·kw, oh·ow] column buffer, reused for every (image, group), feeds the blocked
 * gemm of `gemm.ts`; the output starts as the bias, so the gemm accumulates onto it.
 */
export const conv2dKernel: KernelConfig = {
  kernelName: KernelName.Conv2D,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const [xi, wi, bi] = inputs;
    const [N, C, H, W] = xi.shape;
    const [O, Cg, kh, kw] = wi.shape;
    const { stride, padding, dilation, groups: G } = attrs as Conv2DAttrs;
    const g = geometry(H, W, { kernelSize: [kh, kw], stride, padding, dilation });
    const L = g.oh * g.ow;
    const Og = O / G;
    const Kd = Cg * kh * kw;
    const x = readInput(xi);
    const w = asF32(readInput(wi));
    const bias = bi ? readInput(bi) : null;
    const dtype = promoteTypes(promoteTypes(xi.dtype, wi.dtype), bi ? bi.dtype : xi.dtype);
    const out = new Float32Array(N * O * L);
    if (bias) for (let p = 0; p < N * O; p++) out.fill(bias[p % O], p * L, (p + 1) * L);
    const col = new Float32Array(Kd * L);
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < G; gi++) {
        im2colInto(x, (n * C + gi * Cg) * H * W, Cg, g, 0, col, 0);
        gemmNN(w, gi * Og * Kd, col, 0, out, (n * O + gi * Og) * L, Og, Kd, L);
      }
    }
    return result(finish(out, dtype), [N, O, g.oh, g.ow], dtype);
  },
};

/**
 * `MaxPool2D` [x (N,C,H,W)] {kernelSize, stride, padding, dilation} → [N, C, oh, ow]
 * (torch.nn.functional.max_pool2d, ceil_mode=false): padding never wins (it counts as -Infinity) and a
 * NaN in a window makes that output NaN, as in PyTorch. Its gradient goes to the first maximum of each
 * window (PyTorch's saved indices).
 */
export const maxPool2dKernel: KernelConfig = {
  kernelName: KernelName.MaxPool2D,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const xi = inputs[0];
    const x = readInput(xi);
    const [N, C, H, W] = xi.shape;
    const { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = geometry(H, W, attrs as WindowAttrs);
    const values = makeArray(xi.dtype, N * C * oh * ow);
    // the winner is copied as its bit pattern (bitsOf); an empty window gives -Infinity
    const xb = bitsOf(x), out = bitsOf(values);
    const minusInf = bitsOf(makeArray(xi.dtype, 1).fill(-Infinity))[0];
    let o = 0;
    for (let nc = 0; nc < N * C; nc++) {
      const img = nc * H * W;
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let m = -Infinity;
          let at = -1;
          for (let i = 0; i < kh; i++) {
            const y = oy * sh - ph + i * dh;
            if (y < 0 || y >= H) continue;
            for (let j = 0; j < kw; j++) {
              const xx = ox * sw - pw + j * dw;
              if (xx < 0 || xx >= W) continue;
              const p = img + y * W + xx;
              const v = x[p];
              // torch's max_pool2d rule (aten/src/ATen/native/cpu/MaxPoolKernel.cpp): a NaN always
              // takes over, so the window's last NaN is the result
              if (v > m || v !== v) { m = v; at = p; }
            }
          }
          out[o++] = at < 0 ? minusInf : xb[at];
        }
      }
    }
    return result(values, [N, C, oh, ow], xi.dtype);
  },
};
