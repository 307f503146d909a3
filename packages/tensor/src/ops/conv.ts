import { engine } from '../engine';
import { GorchError, ShapeError } from '../errors';
import { windowOut } from '../kernels/im2col';
import { KernelName } from '../kernel_names';
import { fmtShape } from '../shape';
import type { Tensor } from '../tensor';
import { assertTensor } from './util';

/** An int or an [h, w] pair, as in torch.nn.Conv2d arguments. */
export type Pair = number | readonly [number, number];

/** Sliding-window options of {@link conv2d} / {@link maxPool2d}. */
export interface WindowOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
}

function pair(v: Pair | undefined, dflt: number, op: string, name: string, min: number): [number, number] {
  const p: [number, number] = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= min)) throw new GorchError('E_ARG', `${op}: ${name} must be integer(s) ≥ ${min}, got ${JSON.stringify(v)}`);
  return p;
}

function windowAttrs(op: string, x: { shape: readonly number[] }, kernelSize: Pair, o: WindowOptions, defaultStride: Pair | undefined) {
  const k = pair(kernelSize, 1, op, 'kernelSize', 1);
  const attrs = {
    kernelSize: k,
    stride: pair(o.stride ?? defaultStride, 1, op, 'stride', 1),
    padding: pair(o.padding, 0, op, 'padding', 0),
    dilation: pair(o.dilation, 1, op, 'dilation', 1),
  };
  const oh = windowOut(x.shape[2], k[0], attrs.stride[0], attrs.padding[0], attrs.dilation[0]);
  const ow = windowOut(x.shape[3], k[1], attrs.stride[1], attrs.padding[1], attrs.dilation[1]);
  if (oh <= 0 || ow <= 0) throw new ShapeError(`${op}: window ${JSON.stringify(attrs)} does not fit input ${fmtShape(x.shape)} (output ${oh}×${ow})`);
  return { attrs, oh, ow };
}

/**
 * Unfolds sliding windows of x [N,C,H,W] into columns [N, C·kh·kw, oh·ow] (torch.nn.functional.unfold).
 * `padValue` fills positions outside the image (0 for convolution, -Infinity for max pooling).
 */
export function im2col(x: Tensor, kernelSize: Pair, options: WindowOptions & { padValue?: number } = {}): Tensor {
  assertTensor(x, 'im2col', 'x');
  if (x.ndim !== 4) throw new ShapeError(`im2col: x must be [N,C,H,W], got ${fmtShape(x.shape)}`);
  const { attrs } = windowAttrs('im2col', x, kernelSize, options, undefined);
  return engine.runKernel(KernelName.Im2Col, [x], { ...attrs, padValue: options.padValue ?? 0 });
}

/** Adjoint of {@link im2col}: sums columns back into an image of `inputShape` [N,C,H,W] (torch.nn.functional.fold). */
export function col2im(cols: Tensor, inputShape: readonly [number, number, number, number], kernelSize: Pair, options: WindowOptions = {}): Tensor {
  assertTensor(cols, 'col2im', 'cols');
  const { attrs, oh, ow } = windowAttrs('col2im', { shape: inputShape }, kernelSize, options, undefined);
  const want = [inputShape[0], inputShape[1] * attrs.kernelSize[0] * attrs.kernelSize[1], oh * ow];
  if (cols.ndim !== 3 || cols.shape.some((d, i) => d !== want[i])) throw new ShapeError(`col2im: cols ${fmtShape(cols.shape)} must be ${fmtShape(want)}`);
  return engine.runKernel(KernelName.Col2Im, [cols], { ...attrs, inputShape: [...inputShape] });
}

/**
 * 2-D convolution (cross-correlation, torch.nn.functional.conv2d): x [N,C,H,W], weight [O, C/groups, kh, kw],
 * bias [O] → [N, O, oh, ow] with oh = ⌊(H + 2·ph − dh·(kh−1) − 1)/sh⌋ + 1. One `Conv2D` kernel (im2col +
 * gemm in the JS reference). Throws ShapeError for mismatched shapes / groups or a window larger than
 * the padded input, `E_ARG` for non-integer or out-of-range stride / padding / dilation.
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: WindowOptions & { groups?: number } = {}): Tensor {
  assertTensor(x, 'conv2d', 'x');
  assertTensor(weight, 'conv2d', 'weight');
  if (x.ndim !== 4 || weight.ndim !== 4) throw new ShapeError(`conv2d: x must be [N,C,H,W] and weight [O,C/groups,kh,kw], got ${fmtShape(x.shape)} and ${fmtShape(weight.shape)}`);
  const groups = options.groups ?? 1;
  const C = x.shape[1];
  const [O, Cg, kh, kw] = weight.shape;
  if (!Number.isInteger(groups) || groups < 1 || C % groups !== 0 || O % groups !== 0 || Cg !== C / groups) {
    throw new ShapeError(`conv2d: x ${fmtShape(x.shape)} and weight ${fmtShape(weight.shape)} do not match groups=${groups} (need C % groups = 0, O % groups = 0, weight dim 1 = C/groups)`);
  }
  if (bias != null) {
    assertTensor(bias, 'conv2d', 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== O) throw new ShapeError(`conv2d: bias ${fmtShape(bias.shape)} must be [${O}]`);
  }
  const { attrs } = windowAttrs('conv2d', x, [kh, kw], options, undefined);
  const inputs = bias == null ? [x, weight] : [x, weight, bias];
  return engine.runKernel(KernelName.Conv2D, inputs, { stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation, groups });
}

/**
 * 2-D max pooling (torch.nn.functional.max_pool2d, ceil_mode=false): x [N,C,H,W] → [N,C,oh,ow]; stride
 * defaults to kernelSize; implicit padding is -Infinity and must be ≤ half the kernel, as torch requires.
 * One `MaxPool2D` kernel; the gradient goes to the first maximum of each window, as in PyTorch.
 */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: WindowOptions = {}): Tensor {
  assertTensor(x, 'maxPool2d', 'x');
  if (x.ndim !== 4) throw new ShapeError(`maxPool2d: x must be [N,C,H,W], got ${fmtShape(x.shape)}`);
  const { attrs } = windowAttrs('maxPool2d', x, kernelSize, options, kernelSize);
  const [kh, kw] = attrs.kernelSize;
  if (attrs.padding[0] > kh / 2 || attrs.padding[1] > kw / 2) throw new GorchError('E_ARG', `maxPool2d: padding ${JSON.stringify(attrs.padding)} must be at most half of kernelSize ${JSON.stringify(attrs.kernelSize)}`);
  return engine.runKernel(KernelName.MaxPool2D, [x], attrs);
}
