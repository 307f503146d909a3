// The models every exporter writes, for the reference checker (tools/onnx_check.py).
import { join } from 'node:path';
import * as nn from '@gorch/nn';
import { Generator } from '@gorch/tensor';
import { exportGPTToONNX, exportLinearToONNX, exportSequentialToONNX } from '../src/index';

/** Writes one .onnx per exporter path into `dir` and returns the file names. */
export function writeExportSamples(dir: string): string[] {
  const g = new Generator(3);
  const files: [string, () => void][] = [
    ['linear.onnx', () => exportLinearToONNX(new nn.Linear(4, 3, { generator: g }), 2, join(dir, 'linear.onnx'))],
    ['mlp.onnx', () => exportSequentialToONNX(new nn.Sequential(new nn.Linear(4, 8, { generator: g }), new nn.ReLU(), new nn.Linear(8, 2, { generator: g }), new nn.Sigmoid(), new nn.Tanh()), [1, 4], join(dir, 'mlp.onnx'))],
    ['cnn.onnx', () => exportSequentialToONNX(new nn.Sequential(new nn.Conv2d(3, 4, 3, { stride: 2, padding: 1, dilation: 1, generator: g }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 4 * 4, 5, { generator: g }), new nn.GELU()), [1, 3, 16, 16], join(dir, 'cnn.onnx'))],
    ['layernorm.onnx', () => exportSequentialToONNX(new nn.Sequential(new nn.LayerNorm(6), new nn.Linear(6, 6, { generator: g }), new nn.GELU({ approximate: 'tanh' }), new nn.Dropout(0.1)), [1, 5, 6], join(dir, 'layernorm.onnx'))],
    ['grouped_softmax.onnx', () => exportSequentialToONNX(new nn.Sequential(new nn.Conv2d(4, 8, 3, { groups: 2, generator: g }), new nn.Conv2d(8, 8, 1, { groups: 8, bias: false, generator: g }), new nn.Softmax(1), new nn.Flatten(), new nn.Linear(8 * 4 * 4, 3, { generator: g }), new nn.LogSoftmax()), [1, 4, 6, 6], join(dir, 'grouped_softmax.onnx'))],
    ['embedding.onnx', () => exportSequentialToONNX(new nn.Sequential(new nn.Embedding(10, 4, { generator: g }), new nn.Linear(4, 2, { generator: g })), [1, 3], join(dir, 'embedding.onnx'))],
    ['gpt2.onnx', () => exportGPTToONNX(new nn.GPT({ vocabSize: 40, nPositions: 16, nEmbd: 8, nHead: 2, nLayer: 2 }, { generator: g }).tieLMHeadToEmbedding(), join(dir, 'gpt2.onnx'))],
    ['gpt_neo.onnx', () => exportGPTToONNX(new nn.GPT({ vocabSize: 40, nPositions: 16, nEmbd: 8, nHead: 2, nLayer: 2, attentionLayers: ['global', 'local'], windowSize: 4, scaleAttnWeights: false, qkvBias: false, activation: 'gelu' }, { generator: g }), join(dir, 'gpt_neo.onnx'))],
  ];
  for (const [, write] of files) write();
  return files.map(([name]) => name);
}
