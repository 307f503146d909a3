// importSequential: the official backend cases reproduce their published output_0.pb within 1e-5,
// and gorch exports come back as Sequentials with the same outputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator, randn, tensor } from '@gorch/tensor';
import { noGrad } from '@gorch/autograd';
import * as nn from '@gorch/nn';
import { describe, expect, it } from 'vitest';
import { DataType, importSequential, loadONNX, ONNXModelBuilder, onnxTensorToTensor, parseONNX, sequentialToONNXBytes, UnsupportedNodeError, ONNXError } from '../src/index';
import { readCase } from './backend_case';
import { expectClose, ortFloat, runOrt } from './ort';
import { FIXTURES, HAS_FIXTURES } from './paths';

// The cases whose graphs are a chain of the layers nn.Sequential holds.
const SEQUENTIAL_CASES = [
  'test_Conv2d', 'test_Conv2d_dilated', 'test_Conv2d_no_bias', 'test_Conv2d_padding', 'test_Conv2d_strided', 'test_operator_conv',
  'test_Embedding', 'test_Linear', 'test_Linear_no_bias', 'test_MaxPool2d', 'test_ReLU', 'test_Sigmoid', 'test_Tanh',
  'test_operator_flatten', 'test_single_relu_model', 'test_Conv2d_groups', 'test_Conv2d_depthwise', 'test_Softmax',
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

  it('keeps the group count and the opset-6 Softmax axis (1 = last of a rank-2 input)', () => {
    for (const [name, group] of [['test_Conv2d_groups', 2], ['test_Conv2d_depthwise', 4]] as const) {
      const file = loadONNX(join(BACKEND, name, 'model.onnx'));
      const conv = importSequential(file).layers[0] as nn.Conv2d;
      const weightDims = file.tensors.get(file.nodes[0].inputs[1])!.dims;
      expect([conv.groups, conv.inChannels, [...conv.weight.shape]], name).toEqual([group, weightDims[1] * group, weightDims]);
    }
    expect((importSequential(loadONNX(join(BACKEND, 'test_Softmax', 'model.onnx'))).layers[0] as nn.Softmax).dim).toBe(-1);
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

  it('grouped Conv2d, Softmax and LogSoftmax round trip', () => {
    const seq = new nn.Sequential(new nn.Conv2d(4, 8, 3, { groups: 4, generator: g }), new nn.Softmax(1), new nn.Conv2d(8, 4, 1, { groups: 2, generator: g }), new nn.LogSoftmax()).eval();
    const back = importSequential(parseONNX(sequentialToONNXBytes(seq, [2, 4, 5, 6])));
    expect(back.layers.map((m) => m.constructor.name)).toEqual(['Conv2d', 'Softmax', 'Conv2d', 'LogSoftmax']);
    expect(back.layers.map((m) => (m instanceof nn.Conv2d ? m.groups : (m as nn.Softmax).dim))).toEqual([4, 1, 2, -1]);
    const x = randn([2, 4, 5, 6], { generator: g });
    expectClose(noGrad(() => back.forward(x)).dataSync(), noGrad(() => seq.forward(x)).dataSync());
  });

  it('pre-13 Softmax maps only on the last axis of a known rank (it flattened dims from axis on)', async () => {
    const bytes = (axis: number | undefined, rank: number): Uint8Array => {
      const b = new ONNXModelBuilder({ opset: 11, irVersion: 6 });
      const dims = [2, 3, 4].slice(0, rank);
      const x = b.input('input', DataType.FLOAT, dims);
      b.output(b.op('Softmax', [x], axis === undefined ? {} : { axis }, 'output'), DataType.FLOAT, dims);
      return b.toBytes();
    };
    const build = (axis: number | undefined, rank: number) => parseONNX(bytes(axis, rank));
    expect((importSequential(build(2, 3)).layers[0] as nn.Softmax).dim).toBe(-1);
    // onnxruntime runs the opset-11 definition: same values as the imported nn.Softmax(-1).
    const x = randn([2, 3, 4], { generator: g });
    const ortOut = (await runOrt(bytes(2, 3), { input: ortFloat(x.dataSync(), [2, 3, 4]) })).output;
    expectClose(ortOut.data as Float32Array, noGrad(() => importSequential(build(2, 3)).forward(x)).dataSync());
    expect((importSequential(build(undefined, 2)).layers[0] as nn.Softmax).dim).toBe(-1); // default axis 1
    expect(() => importSequential(build(1, 3))).toThrow(UnsupportedNodeError);
    expect(() => importSequential(build(undefined, 3))).toThrow(/opset 11 softmax over dims 1\.\. of a rank-3 input/);
  });

  it('names a node it cannot rebuild', () => {
    const bytes = readFileSync(join(FIXTURES, 'onnx-backend/test_LeakyReLU/model.onnx'));
    expect(() => importSequential(parseONNX(bytes))).toThrow(/cannot rebuild node .* \(LeakyRelu\)/);
  });
});
