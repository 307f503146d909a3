import type { Tensor } from '@gorch/tensor';
import { ArgumentError } from './errors';
import { Module } from './module';

/** max(x, 0) element-wise (torch.nn.ReLU). Any shape, float32. */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** 1 / (1 + e^-x) element-wise (torch.nn.Sigmoid). Any shape, float32. */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/** tanh x element-wise (torch.nn.Tanh). Any shape, float32. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

function checkDim(dim: number, what: string): number {
  if (!Number.isInteger(dim)) throw new ArgumentError(`${what}: dim must be an integer, got ${JSON.stringify(dim)}`);
  return dim;
}

/**
 * e^x / Σ e^x along `dim` (torch.nn.Softmax; default the last dim, where torch's implicit choice is
 * deprecated). Any shape, float32; max-subtracted so large logits do not overflow. A `dim` outside
 * [−ndim, ndim) is an IndexError `E_INDEX` from the op at forward time; a non-integer dim is `E_ARG` here.
 */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim = -1) {
    super();
    this.dim = checkDim(dim, 'Softmax');
  }
  forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }
}

/** log softmax(x) along `dim` (torch.nn.LogSoftmax), computed as x − max − log Σ e^(x − max); see {@link Softmax}. */
export class LogSoftmax extends Module {
  readonly dim: number;
  constructor(dim = -1) {
    super();
    this.dim = checkDim(dim, 'LogSoftmax');
  }
  forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }
}

/** Options of {@link GELU}. */
export interface GELUOptions {
  /**
   * 'none' (default): x·Φ(x) with the exact normal CDF; 'tanh': 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))),
   * the approximation GPT-2 uses (Hugging Face `gelu_new`).
   */
  approximate?: 'none' | 'tanh';
}

/** Gaussian Error Linear Unit (Hendrycks & Gimpel 2016; torch.nn.GELU). Any shape, float32. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(options: GELUOptions = {}) {
    super();
    const a = options.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') throw new ArgumentError(`GELU: approximate must be 'none' or 'tanh', got ${JSON.stringify(a)}`);
    this.approximate = a;
  }
  forward(x: Tensor): Tensor {
    return x.gelu({ approximate: this.approximate });
  }
}

/** Activation names accepted by GPT configs (Hugging Face `activation_function` values). */
export type ActivationName = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu' | 'tanh' | 'sigmoid';

/**
 * The module for a Hugging Face activation name: 'gelu' → exact GELU; 'gelu_new' and
 * 'gelu_pytorch_tanh' → tanh-approximate GELU; 'relu', 'tanh', 'sigmoid'. Throws `E_ARG` otherwise.
 */
export function activationModule(name: ActivationName): Module {
  switch (name) {
    case 'gelu':
      return new GELU();
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
      return new GELU({ approximate: 'tanh' });
    case 'relu':
      return new ReLU();
    case 'tanh':
      return new Tanh();
    case 'sigmoid':
      return new Sigmoid();
    default:
      throw new ArgumentError(`unknown activation ${JSON.stringify(name)} (expected gelu, gelu_new, gelu_pytorch_tanh, relu, tanh or sigmoid)`);
  }
}
