// Golden values: tools/fixtures/nn_modules.py (python3-torch) → test/golden/modules.json.
import '@gorch/autograd';
import { getBackendName, registeredBackends, setBackend, tidy } from '@gorch/tensor';
import { afterEach, beforeEach, describe, it } from 'vitest';
import {
  Conv2d,
  Embedding,
  Flatten,
  GELU,
  LayerNorm,
  Linear,
  LogSoftmax,
  MaxPool2d,
  MultiHeadAttention,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  TransformerBlock,
  type Module,
  type TensorModule,
} from '../src/index';
import golden from './golden/modules.json';
import { FWD, GRAD, expectClose, fromJson, stateDictFromJson, type JsonTensor } from './helpers';

interface ModuleCase {
  name: string;
  module: string;
  config: any;
  params: Record<string, JsonTensor>;
  inputs: JsonTensor[];
  output: JsonTensor;
  gradOutput: JsonTensor;
  inputGrads: (JsonTensor | null)[];
  paramGrads: Record<string, JsonTensor>;
}

function build(kind: string, c: any): Module {
  switch (kind) {
    case 'Linear':
      return new Linear(c.inFeatures, c.outFeatures, { bias: c.bias });
    case 'ReLU':
      return new ReLU();
    case 'Sigmoid':
      return new Sigmoid();
    case 'Tanh':
      return new Tanh();
    case 'GELU':
      return new GELU({ approximate: c.approximate });
    case 'Conv2d':
      return new Conv2d(c.inChannels, c.outChannels, c.kernelSize, { stride: c.stride, padding: c.padding, bias: c.bias, groups: c.groups });
    case 'Softmax':
      return new Softmax(c.dim);
    case 'LogSoftmax':
      return new LogSoftmax(c.dim);
    case 'MaxPool2d':
      return new MaxPool2d(c.kernelSize, { stride: c.stride, padding: c.padding });
    case 'Flatten':
      return new Flatten();
    case 'Sequential':
      return new Sequential(...c.layers.map((l: any) => build(l.module, l.config) as TensorModule));
    case 'Embedding':
      return new Embedding(c.numEmbeddings, c.embeddingDim);
    case 'LayerNorm':
      return new LayerNorm(c.normalizedShape, { eps: c.eps });
    case 'MultiHeadAttention':
      return new MultiHeadAttention(c);
    case 'TransformerBlock':
      return new TransformerBlock(c);
    default:
      throw new Error(`no builder for ${kind}`);
  }
}

const initial = getBackendName();

describe.each(registeredBackends())('nn modules vs PyTorch on backend %s', (backend) => {
  beforeEach(() => setBackend(backend));
  afterEach(() => setBackend(initial));

  it.each((golden.modules as ModuleCase[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    tidy(() => {
      const m = build(c.module, c.config);
      m.loadStateDict(stateDictFromJson(c.params));
      const xs = c.inputs.map((j) => {
        const x = fromJson(j);
        if (x.dtype === 'float32') x.requiresGrad = true;
        return x;
      });
      const out = m.forward(...xs);
      expectClose(out, c.output, ...FWD, `${c.name} output`);
      out.mul(fromJson(c.gradOutput)).sum().backward();
      c.inputGrads.forEach((g, i) => {
        if (g !== null) expectClose(xs[i].grad, g, ...GRAD, `${c.name} input ${i} grad`);
      });
      const names = [...m.namedParameters()].map(([n]) => n);
      if (JSON.stringify(names.sort()) !== JSON.stringify(Object.keys(c.paramGrads).sort())) {
        throw new Error(`${c.name}: parameter names ${names} differ from torch's ${Object.keys(c.paramGrads)}`);
      }
      for (const [n, p] of m.namedParameters()) expectClose(p.grad, c.paramGrads[n], ...GRAD, `${c.name} ${n}.grad`);
    });
  });
});
