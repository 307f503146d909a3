import { engine } from '../engine';
import { GorchError, ShapeError } from '../errors';
import { KernelName } from '../kernel_names';
import { fmtShape, normalizeAxis, sizeOf, type Shape } from '../shape';
import type { Tensor } from '../tensor';
import { assertTensor } from './util';

/**
 * exp(x − max) / Σ exp(x − max) along `axis` (default last), float32. Max-subtracted, so logits of ±1e4
 * are exact and -Infinity entries (masked positions) get probability 0. A slice that is entirely
 * -Infinity yields NaN, as in PyTorch (mask at least one position per row).
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  assertTensor(x, 'softmax', 'x');
  return engine.runKernel(KernelName.Softmax, [x], { axis: normalizeAxis(axis, x.ndim, 'softmax') });
}

/** x − max − log Σ exp(x − max) along `axis` (default last); same stability and NaN rule as {@link softmax}. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  assertTensor(x, 'logSoftmax', 'x');
  return engine.runKernel(KernelName.LogSoftmax, [x], { axis: normalizeAxis(axis, x.ndim, 'logSoftmax') });
}

/**
 * Layer normalisation over the trailing `normalizedShape` dims (Ba, Kiros & Hinton 2016;
 * torch.nn.functional.layer_norm): (x − mean) / √(var + eps) · weight + bias with the biased variance and
 * eps inside the square root. weight/bias (optional) have shape `normalizedShape`. Output float32.
 */
export function layerNorm(x: Tensor, normalizedShape: number | Shape, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  assertTensor(x, 'layerNorm', 'x');
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const tail = x.shape.slice(x.ndim - ns.length);
  if (ns.length === 0 || ns.length > x.ndim || tail.some((d, i) => d !== ns[i])) {
    throw new ShapeError(`layerNorm: normalizedShape ${fmtShape(ns)} does not match the trailing dims of x ${fmtShape(x.shape)}`);
  }
  if (!(eps >= 0)) throw new GorchError('E_ARG', `layerNorm: eps must be ≥ 0, got ${eps}`);
  const inputs = [x];
  for (const [name, p] of [['weight', weight], ['bias', bias]] as const) {
    if (p === undefined || p === null) continue;
    assertTensor(p, 'layerNorm', name);
    if (p.size !== sizeOf(ns) || p.ndim !== ns.length || p.shape.some((d, i) => d !== ns[i])) {
      throw new ShapeError(`layerNorm: ${name} ${fmtShape(p.shape)} must have shape ${fmtShape(ns)}`);
    }
    inputs.push(p);
  }
  return engine.runKernel(KernelName.LayerNorm, inputs, { normalizedShape: ns, eps, hasWeight: weight != null, hasBias: bias != null });
}
