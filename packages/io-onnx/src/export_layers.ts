// One ONNX translation per nn layer, shared by the Sequential and GPT exporters.
import type { Tensor } from '@gorch/tensor';
import { GELU, LayerNorm, Linear } from '@gorch/nn';
import { float, type BuilderTensor, type ONNXModelBuilder } from './builder';
import { transposeFloat32 } from './transpose';

/** A float32 parameter's values, bit for bit (a copy). */
function floats(t: Tensor): Float32Array {
  // `new Float32Array(typed array of the same type)` copies the bytes; `Float32Array.from` would iterate
  // JS numbers, which the spec lets an engine use to change a NaN's bits
  return new Float32Array(t.dataSync() as Float32Array);
}

/** A parameter's values as a float32 builder tensor (a copy that keeps every bit). */
export function paramTensor(t: Tensor): BuilderTensor {
  return { dims: [...t.shape], data: floats(t) };
}

/**
 * A [rows, cols] parameter transposed to [cols, rows] (Linear weight [out, in] -> MatMul's [in, out]),
 * bit for bit as torch's `w.t().contiguous()` (signalling NaNs included).
 */
export function transposedParam(t: Tensor): BuilderTensor {
  const [rows, cols] = t.shape;
  return { dims: [cols, rows], data: transposeFloat32(floats(t), rows, cols) };
}

/** A float32 constant initializer. */
export function constant(b: ONNXModelBuilder, hint: string, values: number[], dims: number[] = [values.length]): string {
  return b.constant(hint, { dims, data: Float32Array.from(values) });
}

/** An int64 constant initializer. */
export function constantInt64(b: ONNXModelBuilder, hint: string, values: number[], dims: number[] = [values.length]): string {
  return b.constant(hint, { dims, data: BigInt64Array.from(values, BigInt) });
}

/**
 * Linear as ONNX: Gemm(x, W, b, transB = 1) on 2-D input (the layout torch.onnx uses), otherwise
 * MatMul with Wᵀ stored [in, out] plus Add for inputs of other ranks. `name` prefixes the
 * initializer names (`0.weight`, or `0.weight.T` for the transposed copy).
 */
export function exportLinear(b: ONNXModelBuilder, x: string, layer: Linear, name: string, rank: number): string {
  const bias = layer.bias;
  if (rank === 2) {
    const w = b.initializer(`${name}weight`, paramTensor(layer.weight));
    const inputs = bias ? [x, w, b.initializer(`${name}bias`, paramTensor(bias))] : [x, w];
    return b.op('Gemm', inputs, { transB: 1, alpha: float(1), beta: float(1) });
  }
  const y = b.op('MatMul', [x, b.initializer(`${name}weight.T`, transposedParam(layer.weight))]);
  return bias ? b.op('Add', [y, b.initializer(`${name}bias`, paramTensor(bias))]) : y;
}

/**
 * GELU from opset-17 primitives (the Gelu operator arrived in opset 20): exact
 * 0.5·x·(1 + erf(x/√2)), or the tanh form 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
 * (Hendrycks & Gimpel 2016), matching torch.nn.GELU(approximate=...).
 */
export function exportGELU(b: ONNXModelBuilder, x: string, layer: GELU): string {
  const half = constant(b, 'half', [0.5], []);
  const one = constant(b, 'one', [1], []);
  let inner: string;
  if (layer.approximate === 'tanh') {
    const cube = b.op('Mul', [b.op('Mul', [x, x]), x]);
    const poly = b.op('Add', [x, b.op('Mul', [cube, constant(b, 'gelu_c', [0.044715], [])])]);
    inner = b.op('Tanh', [b.op('Mul', [poly, constant(b, 'sqrt_2_over_pi', [Math.sqrt(2 / Math.PI)], [])])]);
  } else {
    inner = b.op('Erf', [b.op('Mul', [x, constant(b, 'inv_sqrt2', [Math.SQRT1_2], [])])]);
  }
  return b.op('Mul', [b.op('Mul', [x, half]), b.op('Add', [inner, one])]);
}

/** LayerNorm as LayerNormalization (opset 17) over the last axis; without affine parameters, weight 1 and bias 0. */
export function exportLayerNorm(b: ONNXModelBuilder, x: string, layer: LayerNorm, name: string): string {
  const params = Object.fromEntries(layer.namedParameters());
  const n = layer.normalizedShape;
  const w = params.weight ? b.initializer(`${name}weight`, paramTensor(params.weight)) : constant(b, 'ones', new Array(n).fill(1));
  const bias = params.bias ? b.initializer(`${name}bias`, paramTensor(params.bias)) : constant(b, 'zeros', new Array(n).fill(0));
  return b.op('LayerNormalization', [x, w, bias], { axis: -1, epsilon: float(layer.eps) });
}
