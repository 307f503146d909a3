import { bitsOf, makeArray, type TypedArray } from '../dtype';
import { readInput, type KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { result } from './util';

/** Attributes shared by Im2Col and Col2Im (all pairs are [h, w]). */
export interface WindowAttrs {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

/** Output spatial size of a sliding window (the formula of torch.nn.Conv2d / MaxPool2d docs). */
export function windowOut(size: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** Sizes of one sliding-window geometry, unpacked once per kernel call. */
export interface Geometry {
  H: number; W: number; kh: number; kw: number; sh: number; sw: number;
  ph: number; pw: number; dh: number; dw: number; oh: number; ow: number;
}

/** The geometry of `attrs` over an H×W image. */
export function geometry(H: number, W: number, attrs: WindowAttrs): Geometry {
  const { kernelSize: [kh, kw], stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw] } = attrs;
  return { H, W, kh, kw, sh, sw, ph, pw, dh, dw, oh: windowOut(H, kh, sh, ph, dh), ow: windowOut(W, kw, sw, pw, dw) };
}

/**
 * Unfolds `C` channels of one image starting at `x[xOff]` into `out[outOff..]` as a [C·kh·kw, oh·ow]
 * block (the Im2Col layout). Shared by Im2Col and Conv2D, which unfolds one group at a time.
 */
export function im2colInto(x: ArrayLike<number>, xOff: number, C: number, g: Geometry, padValue: number, out: TypedArray, outOff: number): void {
  const { H, W, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  const L = oh * ow;
  for (let c = 0; c < C; c++) {
    const img = xOff + c * H * W;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = outOff + ((c * kh + i) * kw + j) * L;
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh - ph + i * dh;
          const dst = row + oy * ow;
          if (y < 0 || y >= H) {
            out.fill(padValue, dst, dst + ow);
            continue;
          }
          const src = img + y * W;
          // interior columns need no bounds test: only the first/last few can fall in the padding
          let ox = 0;
          for (; ox < ow; ox++) {
            const xx = ox * sw - pw + j * dw;
            if (xx >= 0) break;
            out[dst + ox] = padValue;
          }
          for (; ox < ow; ox++) {
            const xx = ox * sw - pw + j * dw;
            if (xx >= W) break;
            out[dst + ox] = x[src + xx];
          }
          for (; ox < ow; ox++) out[dst + ox] = padValue;
        }
      }
    }
  }
}

/**
 * `Im2Col` [x (N,C,H,W)] {kernelSize, stride, padding, dilation, padValue} → [N, C·kh·kw, oh·ow]:
 * row (c·kh + i)·kw + j, column oy·ow + ox holds x[n, c, oy·sh − ph + i·dh, ox·sw − pw + j·dw], or padValue
 * outside the image (torch.nn.Unfold layout).
 */
export const im2colKernel: KernelConfig = {
  kernelName: KernelName.Im2Col,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const xi = inputs[0];
    const x = readInput(xi);
    const [N, C, H, W] = xi.shape;
    const geo = geometry(H, W, attrs as WindowAttrs);
    const padValue: number = attrs.padValue ?? 0;
    const L = geo.oh * geo.ow;
    const rows = C * geo.kh * geo.kw;
    const values = makeArray(xi.dtype, N * rows * L);
    // copied as bit patterns (bitsOf), the padding value converted to its bits once
    const padBits = bitsOf(makeArray(xi.dtype, 1).fill(padValue))[0];
    const xBits = bitsOf(x), out = bitsOf(values);
    for (let n = 0; n < N; n++) im2colInto(xBits, n * C * H * W, C, geo, padBits, out, n * rows * L);
    return result(values, [N, rows, L], xi.dtype);
  },
};

/**
 * `Col2Im` [cols (N, C·kh·kw, oh·ow)] {inputShape: [N,C,H,W], kernelSize, stride, padding, dilation} →
 * [N,C,H,W]: the adjoint of Im2Col (overlapping windows are summed; padded positions dropped), i.e.
 * torch.nn.Fold. Used for the gradient of conv2d.
 */
export const col2imKernel: KernelConfig = {
  kernelName: KernelName.Col2Im,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const ci = inputs[0];
    const cols = readInput(ci);
    const [N, C, H, W] = attrs.inputShape as number[];
    const { kernelSize: [kh, kw], stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw] } = attrs as WindowAttrs;
    const oh = windowOut(H, kh, sh, ph, dh);
    const ow = windowOut(W, kw, sw, pw, dw);
    const L = oh * ow;
    const rows = C * kh * kw;
    const out = makeArray(ci.dtype, N * C * H * W);
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        const img = (n * C + c) * H * W;
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const row = ((n * rows) + (c * kh + i) * kw + j) * L;
            for (let oy = 0; oy < oh; oy++) {
              const y = oy * sh - ph + i * dh;
              if (y < 0 || y >= H) continue;
              for (let ox = 0; ox < ow; ox++) {
                const xx = ox * sw - pw + j * dw;
                if (xx >= 0 && xx < W) out[img + y * W + xx] += cols[row + oy * ow + ox];
              }
            }
          }
        }
      }
    }
    return result(out, [N, C, H, W], ci.dtype);
  },
};
