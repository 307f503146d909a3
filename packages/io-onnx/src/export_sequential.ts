// nn.Sequential / nn.Linear -> ONNX (opset 17), batch dimension symbolic.
import { Conv2d, Dropout, Embedding, Flatten, GELU, LayerNorm, Linear, LogSoftmax, MaxPool2d, ReLU, Sequential, Sigmoid, Softmax, Tanh, type Module } from '@gorch/nn';
import { ONNXModelBuilder, type BuilderDim } from './builder';
import { DataType } from './data_type';
import { ONNXError, UnsupportedModuleError } from './errors';
import { exportGELU, exportLayerNorm, exportLinear, paramTensor } from './export_layers';
import { writeFileAtomic } from './write_file';

/** The symbolic name of the batch dimension in exported graphs. */
export const BATCH_DIM = 'batch';

const windowOut = (size: number, k: number, s: number, p: number, d: number): number => Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;

interface Step {
  x: string;
  shape: number[];
}

/** Translates layer `index` of a Sequential; returns the output value and its (example) shape. */
function exportLayer(b: ONNXModelBuilder, m: Module, index: number, { x, shape }: Step): Step {
  const name = `${index}.`;
  const fail = (detail: string): never => {
    throw new UnsupportedModuleError(m.constructor.name, index, detail);
  };
  const last = shape[shape.length - 1];
  if (m instanceof Linear) {
    if (last !== m.inFeatures) fail(`expects ${m.inFeatures} input features, gets shape [${shape}]`);
    return { x: exportLinear(b, x, m, name, shape.length), shape: [...shape.slice(0, -1), m.outFeatures] };
  }
  if (m instanceof ReLU) return { x: b.op('Relu', [x]), shape };
  if (m instanceof Sigmoid) return { x: b.op('Sigmoid', [x]), shape };
  if (m instanceof Tanh) return { x: b.op('Tanh', [x]), shape };
  if (m instanceof GELU) return { x: exportGELU(b, x, m), shape };
  if (m instanceof Softmax || m instanceof LogSoftmax) {
    // Opset 13 redefined (Log)Softmax as a single-axis op, torch's semantics; older opsets flattened from axis on.
    if (m.dim < -shape.length || m.dim >= shape.length) fail(`dim ${m.dim} is out of range for rank ${shape.length}`);
    return { x: b.op(m instanceof Softmax ? 'Softmax' : 'LogSoftmax', [x], { axis: m.dim }), shape };
  }
  if (m instanceof Dropout) return { x, shape }; // identity in eval mode, the mode an exported model runs in
  if (m instanceof LayerNorm) {
    if (last !== m.normalizedShape) fail(`normalizes ${m.normalizedShape} features, gets shape [${shape}]`);
    return { x: exportLayerNorm(b, x, m, name), shape };
  }
  if (m instanceof Flatten) {
    const rank = shape.length;
    const start = m.startDim < 0 ? m.startDim + rank : m.startDim;
    const end = m.endDim < 0 ? m.endDim + rank : m.endDim;
    // ONNX Flatten always yields 2-D [prod(before axis), prod(from axis)]; that is torch's Flatten(start, -1) with start >= 1.
    if (end !== rank - 1 || start < 1) fail(`only Flatten(startDim >= 1, endDim = -1) maps to ONNX Flatten (got ${m.startDim}, ${m.endDim} on rank ${rank})`);
    if (start !== 1) fail('ONNX Flatten would merge the batch dimension with the dims before startDim');
    return { x: b.op('Flatten', [x], { axis: 1 }), shape: [shape[0], shape.slice(1).reduce((a, c) => a * c, 1)] };
  }
  if (m instanceof Conv2d) {
    if (shape.length !== 4 || shape[1] !== m.inChannels) fail(`expects [N, ${m.inChannels}, H, W], gets [${shape}]`);
    const [kh, kw] = m.kernelSize;
    const inputs = [x, b.initializer(`${name}weight`, paramTensor(m.weight))];
    if (m.bias) inputs.push(b.initializer(`${name}bias`, paramTensor(m.bias)));
    const y = b.op('Conv', inputs, {
      kernel_shape: [kh, kw], strides: [...m.stride], pads: [m.padding[0], m.padding[1], m.padding[0], m.padding[1]], dilations: [...m.dilation], group: m.groups,
    });
    const out = [shape[0], m.outChannels, ...[0, 1].map((i) => windowOut(shape[2 + i], m.kernelSize[i], m.stride[i], m.padding[i], m.dilation[i]))];
    return { x: y, shape: out };
  }
  if (m instanceof MaxPool2d) {
    if (shape.length !== 4) fail(`expects [N, C, H, W], gets [${shape}]`);
    const y = b.op('MaxPool', [x], {
      kernel_shape: [...m.kernelSize], strides: [...m.stride], pads: [m.padding[0], m.padding[1], m.padding[0], m.padding[1]], dilations: [...m.dilation], ceil_mode: 0,
    });
    const out = [shape[0], shape[1], ...[0, 1].map((i) => windowOut(shape[2 + i], m.kernelSize[i], m.stride[i], m.padding[i], m.dilation[i]))];
    return { x: y, shape: out };
  }
  if (m instanceof Embedding) {
    const table = b.initializer(`${name}weight`, paramTensor(m.weight));
    return { x: b.op('Gather', [table, x], { axis: 0 }), shape: [...shape, m.embeddingDim] };
  }
  if (m instanceof Sequential) fail('nested Sequential: flatten it into one');
  return fail('no ONNX translation for this module');
}

function checkShape(shape: readonly number[], what: string): number[] {
  if (!Array.isArray(shape) || shape.length < 1 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ONNXError('E_ONNX_ARG', `${what}: inputShape must be positive integers with the batch first, got ${JSON.stringify(shape)}`);
  }
  return [...shape];
}

/**
 * The ONNX bytes (opset 17, IR 8) of a Sequential in eval mode. `inputShape` is an example input
 * shape with the batch first (e.g. `[1, 3, 28, 28]`); the exported input `input` and output
 * `output` have a symbolic first dimension `batch`, so any batch size runs. A Sequential that starts
 * with an Embedding takes int64 ids, any other float32.
 *
 * Layer -> ONNX: Linear -> Gemm (transB = 1) on 2-D input, MatMul + Add otherwise; ReLU -> Relu;
 * Sigmoid; Tanh; Softmax / LogSoftmax -> Softmax / LogSoftmax (axis = dim, opset-13 single-axis
 * semantics); GELU -> Erf / Tanh arithmetic; Conv2d -> Conv (strides, pads, dilations, group);
 * MaxPool2d -> MaxPool; Flatten -> Flatten (axis 1); LayerNorm -> LayerNormalization; Dropout ->
 * nothing; Embedding -> Gather. Initializers are named after the state dict (`0.weight`).
 *
 * Throws {@link UnsupportedModuleError} naming the module class and its position for any other
 * module or an unsupported configuration, {@link ONNXError} `E_ONNX_ARG` for a bad `inputShape`.
 */
export function sequentialToONNXBytes(seq: Sequential, inputShape: readonly number[]): Uint8Array {
  if (!(seq instanceof Sequential)) throw new ONNXError('E_ONNX_ARG', 'exportSequentialToONNX: expected an nn.Sequential');
  const shape = checkShape(inputShape, 'exportSequentialToONNX');
  const b = new ONNXModelBuilder({ graphName: 'gorch_sequential' });
  const ids = seq.layers[0] instanceof Embedding;
  const symbolic = (s: readonly number[]): BuilderDim[] => [BATCH_DIM, ...s.slice(1)];
  let step: Step = { x: b.input('input', ids ? DataType.INT64 : DataType.FLOAT, symbolic(shape)), shape };
  seq.layers.forEach((m, i) => {
    step = exportLayer(b, m, i, step);
  });
  const out = step.x === 'input' ? b.op('Identity', ['input']) : step.x;
  const output = b.op('Identity', [out], {}, 'output');
  b.output(output, DataType.FLOAT, symbolic(step.shape));
  return b.toBytes();
}

/** Writes {@link sequentialToONNXBytes} to `path` atomically (temp file + rename). */
export function exportSequentialToONNX(seq: Sequential, inputShape: readonly number[], path: string): void {
  writeFileAtomic(path, sequentialToONNXBytes(seq, inputShape));
}

/**
 * The ONNX bytes of one Linear: a single Gemm (transB = 1) from `input` [batch, inFeatures] to
 * `output` [batch, outFeatures], batch symbolic. `batchSize` is the example batch (checked, not
 * baked in). Throws {@link ONNXError} `E_ONNX_ARG` for a non-Linear or a bad batch size.
 */
export function linearToONNXBytes(linear: Linear, batchSize = 1): Uint8Array {
  if (!(linear instanceof Linear)) throw new ONNXError('E_ONNX_ARG', 'exportLinearToONNX: expected an nn.Linear');
  return sequentialToONNXBytes(new Sequential(linear), checkShape([batchSize, linear.inFeatures], 'exportLinearToONNX'));
}

/** Writes {@link linearToONNXBytes} to `path` atomically. */
export function exportLinearToONNX(linear: Linear, batchSize: number, path: string): void {
  writeFileAtomic(path, linearToONNXBytes(linear, batchSize));
}
