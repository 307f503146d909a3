import { readInput, type KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { sizeOf } from '../shape';
import { result } from './util';

/**
 * Softmax / log-softmax along `axis`, max-subtracted (so logits of ±1e4 do not overflow and -Infinity
 * entries give exactly 0 / -Infinity). A slice that is all -Infinity gives NaN, exactly like PyTorch.
 */
function softmaxKernel(name: string, log: boolean): KernelConfig {
  return {
    kernelName: name,
    backendName: 'js',
    kernelFunc: ({ inputs, attrs }) => {
      const info = inputs[0];
      const x = readInput(info);
      const axis: number = attrs.axis;
      const n = info.shape[axis];
      const inner = sizeOf(info.shape.slice(axis + 1));
      const outer = sizeOf(info.shape.slice(0, axis));
      const out = new Float32Array(x.length);
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) {
          const base = o * n * inner + j;
          let m = -Infinity;
          for (let k = 0; k < n; k++) {
            const v = x[base + k * inner];
            if (v > m || v !== v) m = v;
          }
          let s = 0;
          for (let k = 0; k < n; k++) s += Math.exp(x[base + k * inner] - m);
          if (log) {
            const ls = Math.log(s);
            for (let k = 0; k < n; k++) out[base + k * inner] = x[base + k * inner] - m - ls;
          } else {
            const inv = 1 / s;
            for (let k = 0; k < n; k++) out[base + k * inner] = Math.exp(x[base + k * inner] - m) * inv;
          }
        }
      }
      return result(out, info.shape, 'float32');
    },
  };
}

/** JS softmax kernels. */
export const softmaxKernels: KernelConfig[] = [softmaxKernel(KernelName.Softmax, false), softmaxKernel(KernelName.LogSoftmax, true)];
