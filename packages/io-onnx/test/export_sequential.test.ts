// Exported Sequentials run in onnxruntime-node (a peer implementation of the ONNX operators) and
// match gorch's own forward within 1e-5, at several batch sizes through the symbolic batch dim.
import { Generator, randn, tensor, type Tensor } from '@gorch/tensor';
import { noGrad } from '@gorch/autograd';
import * as nn from '@gorch/nn';
import { describe, expect, it } from 'vitest';
import { linearToONNXBytes, parseONNX, sequentialToONNXBytes, toONNXBytes, UnsupportedModuleError } from '../src/index';
import { expectClose, ortFloat, ortInt64, runOrt } from './ort';

const g = new Generator(1234);

async function checkAgainstOrt(seq: nn.Sequential, shape: number[], batches = [1, 3]): Promise<void> {
  seq.eval();
  const bytes = sequentialToONNXBytes(seq, shape);
  for (const batch of batches) {
    const x = randn([batch, ...shape.slice(1)], { generator: g });
    const want = noGrad(() => seq.forward(x));
    const got = (await runOrt(bytes, { input: ortFloat(x.dataSync(), [...x.shape]) })).output;
    expect([...got.dims]).toEqual([...want.shape]);
    expectClose(got.data as Float32Array, want.dataSync());
  }
}

describe('exportSequentialToONNX runs in onnxruntime', () => {
  it('MLP: Linear -> ReLU -> Linear -> Sigmoid -> Linear -> Tanh', async () => {
    const seq = new nn.Sequential(new nn.Linear(6, 16, { generator: g }), new nn.ReLU(), new nn.Linear(16, 8, { generator: g }), new nn.Sigmoid(), new nn.Linear(8, 3, { generator: g }), new nn.Tanh());
    await checkAgainstOrt(seq, [1, 6], [1, 4, 7]);
  });

  it('CNN: strided, padded and dilated Conv2d, MaxPool2d, Flatten, Linear, GELU', async () => {
    const seq = new nn.Sequential(
      new nn.Conv2d(3, 4, 3, { stride: 2, padding: 1, generator: g }),
      new nn.ReLU(),
      new nn.MaxPool2d(2, { stride: 1, padding: 1 }),
      new nn.Conv2d(4, 5, [3, 2], { dilation: [2, 1], bias: false, generator: g }),
      new nn.MaxPool2d([2, 2]),
      new nn.Flatten(),
      new nn.Linear(5 * 2 * 3, 7, { generator: g }),
      new nn.GELU(),
    );
    await checkAgainstOrt(seq, [1, 3, 13, 14], [1, 2]);
  });

  it('grouped and depthwise Conv2d write Conv group', async () => {
    const seq = new nn.Sequential(
      new nn.Conv2d(4, 6, 3, { groups: 2, padding: 1, generator: g }),
      new nn.ReLU(),
      new nn.Conv2d(6, 12, [3, 2], { groups: 6, stride: 2, bias: false, generator: g }),
    );
    const conv = parseONNX(sequentialToONNXBytes(seq, [1, 4, 9, 9])).nodes.filter((n) => n.opType === 'Conv');
    expect(conv.map((n) => n.attributes.group)).toEqual([2, 6]);
    await checkAgainstOrt(seq, [1, 4, 9, 9], [1, 2]);
  });

  it('Softmax and LogSoftmax over any dim (opset-13 single-axis semantics)', async () => {
    await checkAgainstOrt(new nn.Sequential(new nn.Linear(5, 6, { generator: g }), new nn.Softmax()), [1, 5], [1, 4]);
    await checkAgainstOrt(new nn.Sequential(new nn.Conv2d(2, 3, 1, { generator: g }), new nn.Softmax(1)), [1, 2, 3, 4], [1, 2]);
    await checkAgainstOrt(new nn.Sequential(new nn.Linear(4, 4, { generator: g }), new nn.LogSoftmax(-2)), [1, 3, 4], [1, 2]);
    expect(() => sequentialToONNXBytes(new nn.Sequential(new nn.Softmax(2)), [1, 4])).toThrow(/Softmax at position 0: dim 2 is out of range for rank 2/);
  });

  it('LayerNorm and tanh-GELU over [batch, T, C] (MatMul + Add linear form), Dropout dropped in eval', async () => {
    const seq = new nn.Sequential(new nn.LayerNorm(8, { eps: 1e-6 }), new nn.Linear(8, 12, { generator: g }), new nn.GELU({ approximate: 'tanh' }), new nn.Dropout(0.5), new nn.Linear(12, 8, { bias: false, generator: g }), new nn.LayerNorm(8));
    // Non-trivial LayerNorm affine parameters, so the export must carry them.
    const ln = seq.layers[0] as nn.LayerNorm;
    ln.loadStateDict({ weight: randn([8], { generator: g }), bias: randn([8], { generator: g }) });
    await checkAgainstOrt(seq, [1, 5, 8], [1, 3]);
  });

  it('Embedding -> Linear takes int64 ids', async () => {
    const seq = new nn.Sequential(new nn.Embedding(11, 4, { generator: g }), new nn.Linear(4, 3, { generator: g })).eval();
    const bytes = sequentialToONNXBytes(seq, [2, 5]);
    const ids = [0, 3, 10, 2, 2, 7, 1, 9, 4, 5];
    const want = noGrad(() => seq.forward(tensor(ids, { shape: [2, 5], dtype: 'int32' })));
    const got = (await runOrt(bytes, { input: ortInt64(ids, [2, 5]) })).output;
    expect([...got.dims]).toEqual([2, 5, 3]);
    expectClose(got.data as Float32Array, want.dataSync());
  });

  it('exportLinearToONNX writes one Gemm with transB = 1', async () => {
    const linear = new nn.Linear(5, 2, { generator: g });
    const bytes = linearToONNXBytes(linear, 4);
    const file = parseONNX(bytes);
    expect(file.nodes.filter((n) => n.opType !== 'Identity').map((n) => [n.opType, n.attributes.transB])).toEqual([['Gemm', 1]]);
    expect(file.inputs[0].shape).toEqual(['batch', 5]);
    const x: Tensor = randn([4, 5], { generator: g });
    const got = (await runOrt(bytes, { input: ortFloat(x.dataSync(), [4, 5]) })).output;
    expectClose(got.data as Float32Array, noGrad(() => linear.forward(x)).dataSync());
  });

  it('names an unsupported module and its position', () => {
    class Custom extends nn.Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU(), new Custom());
    expect(() => sequentialToONNXBytes(seq, [1, 2])).toThrow(UnsupportedModuleError);
    expect(() => sequentialToONNXBytes(seq, [1, 2])).toThrow(/unsupported module Custom at position 2/);
    expect(() => sequentialToONNXBytes(new nn.Sequential(new nn.Linear(3, 2)), [1, 2])).toThrow(/Linear at position 0: expects 3 input features/);
    expect(() => sequentialToONNXBytes(new nn.Sequential(new nn.ReLU()), [0, 2])).toThrow(expect.objectContaining({ code: 'E_ONNX_ARG' }));
  });

  it('toONNXBytes dispatches on the model type and asks a Sequential for its shape', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 2, { generator: g }));
    expect(toONNXBytes(seq, [1, 2])).toEqual(sequentialToONNXBytes(seq, [1, 2]));
    expect(() => toONNXBytes(seq)).toThrow(/needs an example inputShape/);
    expect(() => toONNXBytes(new nn.ReLU() as unknown as nn.Linear)).toThrow(/expected a GPT, Linear or Sequential, got ReLU/);
    expect(parseONNX(toONNXBytes(new nn.Linear(3, 1))).inputs[0].shape).toEqual(['batch', 3]);
  });
});
