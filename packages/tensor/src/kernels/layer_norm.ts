import { readInput, type KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { sizeOf } from '../shape';
import { result } from './util';

/**
 * `LayerNorm` [x, weight?, bias?] {normalizedShape, eps, hasWeight, hasBias}: over the trailing
 * normalizedShape dims, y = (x - mean) / sqrt(var + eps) * weight + bias with the biased variance (Ba et
 * al. 2016; torch.nn.functional.layer_norm). Statistics in doubles, two-pass.
 */
export const layerNormKernel: KernelConfig = {
  kernelName: KernelName.LayerNorm,
  backendName: 'js',
  kernelFunc: ({ inputs, attrs }) => {
    const xi = inputs[0];
    const x = readInput(xi);
    let next = 1;
    const w = attrs.hasWeight ? readInput(inputs[next++]) : null;
    const b = attrs.hasBias ? readInput(inputs[next++]) : null;
    const D = sizeOf(attrs.normalizedShape);
    const rows = D === 0 ? 0 : x.length / D;
    const eps: number = attrs.eps;
    const out = new Float32Array(x.length);
    for (let r = 0; r < rows; r++) {
      const off = r * D;
      let s = 0;
      for (let k = 0; k < D; k++) s += x[off + k];
      const mean = s / D;
      let v = 0;
      for (let k = 0; k < D; k++) {
        const d = x[off + k] - mean;
        v += d * d;
      }
      const rstd = 1 / Math.sqrt(v / D + eps);
      if (w && b) for (let k = 0; k < D; k++) out[off + k] = (x[off + k] - mean) * rstd * w[k] + b[k];
      else if (w) for (let k = 0; k < D; k++) out[off + k] = (x[off + k] - mean) * rstd * w[k];
      else if (b) for (let k = 0; k < D; k++) out[off + k] = (x[off + k] - mean) * rstd + b[k];
      else for (let k = 0; k < D; k++) out[off + k] = (x[off + k] - mean) * rstd;
    }
    return result(out, xi.shape, 'float32');
  },
};
