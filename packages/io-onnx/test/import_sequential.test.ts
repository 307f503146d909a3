// importSequential: the official backend cases reproduce their published output_0.pb within 1e-5,
// and gorch exports come back as Sequentials with the same outputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator, randn, tensor } from '@gorch/tensor';
import { noGrad } from '@gorch/autograd';
import * as nn from '@gorch/nn';
import { describe, expect, it } from 'vitest';
import { importSequential, loadONNX, onnxTensorToTensor, parseONNX, sequentialToONNXBytes, UnsupportedNodeError, ONNXError } from '../src/index';
import { readCase } from './backend_case';
import { expectClose } from './ort';
import { FIXTURES, HAS_FIXTURES } from './paths';

// The cases whose graphs are a chain of the layers nn.Sequential holds.
const SEQUENTIAL_CASES = [
  'test_Conv2d', 'test_Conv2d_dilated', 'test_Conv2d_no_bias', 'test_Conv2d_padding', 'test_Conv2d_strided', 'test_operator_conv',
  'test_Embedding', 'test_Linear', 'test_Linear_no_bias', 'test_MaxPool2d', 'test_ReLU', 'test_Sigmoid', 'test_Tanh',
  'test_operator_flatten', 'test_single_relu_model',
];
// Layers @gorch/nn does not have (yet): what importSequential reports for them.
const NOT_SEQUENTIAL: [string, RegExp][] = [
  ['test_AvgPool2d', /AveragePool/],
  ['test_BatchNorm2d_eval', /BatchNormalization/],
  ['test_Conv1d', /1-D kernels/],
  ['test_MaxPool1d', /1-D kernels/],
  ['test_operator_maxpool', /1-D kernels/],
  ['test_LeakyReLU', /LeakyRelu/],
  ['test_operator_addmm', /one input and one output|not a chain/],
  ['test_operator_basic', /one input and one output/],
  ['test_operator_params', /cannot rebuild node '2' \(Add\)/],
  ['test_operator_mm', /one input and one output/],
];
const GROUPED = ['test_Conv2d_groups', 'test_Conv2d_depthwise', 'test_Softmax'];

describe.skipIf(!HAS_FIXTURES)('importSequential on the onnx-backend cases', () => {
  const BACKEND = join(FIXTURES, 'onnx-backend');

  it.each(SEQUENTIAL_CASES)('%s reproduces output_0.pb from input_0.pb', (name) => {
    const seq = importSequential(loadONNX(join(BACKEND, name, 'model.onnx')));
    const { inputs, outputs } = readCase(name);
    const x = onnxTensorToTensor(inputs[0]);
    const y = noGrad(() => seq.forward(x));
    expect([...y.shape]).toEqual(outputs[0].dims);
    expectClose(y.dataSync(), outputs[0].data as Float32Array);
  });

  it.each(GROUPED)('%s: reproduces output_0.pb once @gorch/nn has the layer, else names what is missing', (name) => {
    let seq: nn.Sequential;
    try {
      seq = importSequential(loadONNX(join(BACKEND, name, 'model.onnx')));
    } catch (err) {
      expect(err).toBeInstanceOf(UnsupportedNodeError);
      expect((err as Error).message).toMatch(/nn\.Conv2d has no groups option yet|@gorch\/nn has no Softmax module yet/);
      return;
    }
    const { inputs, outputs } = readCase(name);
    expectClose(noGrad(() => seq.forward(onnxTensorToTensor(inputs[0]))).dataSync(), outputs[0].data as Float32Array);
  });

  it.each(NOT_SEQUENTIAL)('%s is a typed error naming the problem', (name, message) => {
    const file = loadONNX(join(BACKEND, name, 'model.onnx'));
    expect(() => importSequential(file)).toThrow(ONNXError);
    expect(() => importSequential(file)).toThrow(message);
  });
});

describe('export -> importSequential round trip', () => {
  const g = new Generator(99);

  it.each([
    ['MLP with exact GELU', () => new nn.Sequential(new nn.Linear(5, 9, { generator: g }), new nn.GELU(), new nn.Linear(9, 4, { bias: false, generator: g }), new nn.Sigmoid()), [3, 5]],
    ['CNN', () => new nn.Sequential(new nn.Conv2d(2, 3, 3, { stride: 2, padding: 1, generator: g }), new nn.Tanh(), new nn.MaxPool2d(2, { stride: 1 }), new nn.Flatten(), new nn.Linear(3 * 2 * 2, 2, { generator: g })), [2, 2, 6, 5]],
    ['LayerNorm + tanh GELU on [B, T, C]', () => new nn.Sequential(new nn.LayerNorm(6), new nn.Linear(6, 6, { generator: g }), new nn.GELU({ approximate: 'tanh' }), new nn.Dropout(0.3), new nn.ReLU()), [2, 3, 6]],
  ] as const)('%s', (_, build, shape) => {
    const seq = build().eval();
    const back = importSequential(parseONNX(sequentialToONNXBytes(seq, [...shape])));
    expect(back.layers.map((m) => m.constructor.name)).toEqual(seq.layers.filter((m) => !(m instanceof nn.Dropout)).map((m) => m.constructor.name));
    const x = randn([...shape], { generator: g });
    expectClose(noGrad(() => back.forward(x)).dataSync(), noGrad(() => seq.forward(x)).dataSync());
  });

  it('Embedding round trip', () => {
    const seq = new nn.Sequential(new nn.Embedding(7, 3, { generator: g }), new nn.Linear(3, 2, { generator: g })).eval();
    const back = importSequential(parseONNX(sequentialToONNXBytes(seq, [1, 4])));
    const ids = tensor([1, 6, 0, 3], { shape: [1, 4], dtype: 'int32' });
    expectClose(back.forward(ids).dataSync(), seq.forward(ids).dataSync());
  });

  it('names a node it cannot rebuild', () => {
    const bytes = readFileSync(join(FIXTURES, 'onnx-backend/test_LeakyReLU/model.onnx'));
    expect(() => importSequential(parseONNX(bytes))).toThrow(/cannot rebuild node .* \(LeakyRelu\)/);
  });
});
