// ONNX graph -> nn.Sequential, for graphs that are a chain of the layers the exporter writes.
import * as nn from '@gorch/nn';
import { tensor, type Tensor } from '@gorch/tensor';
import { identifyActivation } from './elementwise_probe';
import { ONNXError, UnsupportedNodeError } from './errors';
import { topologicalOrder } from './graph_order';
import type { ONNXFile, ONNXGraph, ONNXNode } from './onnx_file';
import type { ONNXTensor } from './tensor_data';
import { onnxTensorValues } from './to_tensor';
import { transposeFloat32 } from './transpose';

type Layer = nn.TensorModule;

const label = (node: ONNXNode): string => node.name || node.outputs[0] || '?';

function floatTensor(t: ONNXTensor, shape: number[] = t.dims): Tensor {
  const values = onnxTensorValues(t);
  return tensor(values instanceof Float32Array ? values : Float32Array.from(values), { shape });
}

/** A 2-D constant transposed as float32, float bits kept exactly (torch's `.t()`). */
function transpose2d(t: ONNXTensor): ONNXTensor {
  const [r, c] = t.dims;
  const values = onnxTensorValues(t);
  const src = values instanceof Float32Array ? values : Float32Array.from(values);
  return { ...t, dtype: 'float32', dataType: 1, dims: [c, r], data: transposeFloat32(src, r, c) };
}

function load(m: nn.Module, tensors: Record<string, Tensor>): void {
  m.loadStateDict(tensors);
  for (const t of Object.values(tensors)) t.dispose();
}

/** Values known before the input arrives: initializers, Constant nodes, Transpose of a 2-D constant. */
function foldConstants(graph: ONNXGraph, order: number[]): { constants: Map<string, ONNXTensor>; folded: Set<number> } {
  const constants = new Map(graph.tensors);
  const folded = new Set<number>();
  for (const i of order) {
    const node = graph.nodes[i];
    if (node.opType === 'Constant' && node.attributes.value && typeof node.attributes.value === 'object' && 'dims' in node.attributes.value) {
      constants.set(node.outputs[0], node.attributes.value as ONNXTensor);
      folded.add(i);
    } else if (node.opType === 'Transpose' && constants.has(node.inputs[0]) && constants.get(node.inputs[0])!.dims.length === 2) {
      const perm = (node.attributes.perm as number[] | undefined) ?? [1, 0];
      if (perm[0] === 1 && perm[1] === 0) {
        constants.set(node.outputs[0], transpose2d(constants.get(node.inputs[0])!));
        folded.add(i);
      }
    }
  }
  return { constants, folded };
}

/** What the reader knows about the graph beyond its nodes: the ai.onnx opset and the ranks of the graph inputs / outputs. */
interface GraphFacts {
  opset: number;
  rankOf(value: string): number | null;
}

function graphFacts(file: ONNXGraph): GraphFacts {
  // A bare graph (no model header) is taken to follow current operator semantics, as gorch writes them.
  const header = (file as Partial<ONNXFile>).opsetImports?.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  const values = [...file.inputs, ...file.outputs];
  return {
    opset: header?.version ?? Number.POSITIVE_INFINITY,
    rankOf: (name) => values.find((v) => v.name === name)?.shape?.length ?? null,
  };
}

class SequentialReader {
  readonly layers: Layer[] = [];
  constructor(
    private readonly constants: Map<string, ONNXTensor>,
    private readonly shapes: GraphFacts,
  ) {}

  private constant(node: ONNXNode, index: number, what: string): ONNXTensor {
    const t = this.constants.get(node.inputs[index]);
    if (!t) throw new UnsupportedNodeError(label(node), node.opType, `${what} '${node.inputs[index]}' is not a constant`);
    return t;
  }

  private int(node: ONNXNode, name: string, fallback: number): number {
    const v = node.attributes[name];
    return typeof v === 'number' ? v : fallback;
  }

  private ints(node: ONNXNode, name: string, fallback: number[]): number[] {
    const v = node.attributes[name];
    return Array.isArray(v) ? (v as number[]) : fallback;
  }

  /** Translates one node whose only non-constant input is the running value. Returns false if it is not a layer op. */
  single(node: ONNXNode): boolean {
    const fail = (detail: string): never => {
      throw new UnsupportedNodeError(label(node), node.opType, detail);
    };
    const previous = this.layers[this.layers.length - 1];
    switch (node.opType) {
      case 'Relu': this.layers.push(new nn.ReLU()); return true;
      case 'Sigmoid': this.layers.push(new nn.Sigmoid()); return true;
      case 'Tanh': this.layers.push(new nn.Tanh()); return true;
      case 'Identity': case 'Dropout': return true; // inference semantics: identity
      case 'Gemm': {
        if (this.int(node, 'transA', 0) !== 0) fail('transA = 1 has no nn.Linear form');
        const alpha = node.attributes.alpha ?? 1;
        const beta = node.attributes.beta ?? 1;
        let w = this.constant(node, 1, 'weight');
        if (w.dims.length !== 2) fail(`weight must be 2-D, is [${w.dims}]`);
        if (this.int(node, 'transB', 0) === 0) w = transpose2d(w);
        const [out, inF] = w.dims;
        const hasBias = node.inputs.length > 2 && node.inputs[2] !== '' && beta !== 0;
        if (alpha !== 1 || (hasBias && beta !== 1)) fail(`alpha ${alpha} / beta ${beta} other than 1 have no nn.Linear form`);
        const linear = new nn.Linear(inF, out, { bias: hasBias, skipInit: true });
        const params: Record<string, Tensor> = { weight: floatTensor(w) };
        if (hasBias) {
          const bias = this.constant(node, 2, 'bias');
          if (bias.size !== out) fail(`bias has ${bias.size} values for ${out} outputs`);
          params.bias = floatTensor(bias, [out]);
        }
        load(linear, params);
        this.layers.push(linear);
        return true;
      }
      case 'MatMul': {
        const w = this.constant(node, 1, 'weight');
        if (w.dims.length !== 2) fail(`weight must be 2-D, is [${w.dims}]`);
        const t = transpose2d(w);
        const linear = new nn.Linear(t.dims[1], t.dims[0], { bias: false, skipInit: true });
        load(linear, { weight: floatTensor(t) });
        this.layers.push(linear);
        return true;
      }
      case 'Add': {
        // The bias half of a MatMul + Add linear layer.
        const bias = this.constant(node, 1, 'addend');
        if (!(previous instanceof nn.Linear) || previous.bias !== null || bias.size !== previous.outFeatures) {
          fail('only the bias of a preceding MatMul is supported');
        }
        const linear = previous as nn.Linear;
        const merged = new nn.Linear(linear.inFeatures, linear.outFeatures, { skipInit: true });
        load(merged, { weight: linear.weight.clone(), bias: floatTensor(bias, [linear.outFeatures]) });
        this.layers[this.layers.length - 1] = merged;
        return true;
      }
      case 'Flatten':
        if (this.int(node, 'axis', 1) !== 1) fail(`axis ${node.attributes.axis} (only 1 maps to nn.Flatten)`);
        this.layers.push(new nn.Flatten(1, -1));
        return true;
      case 'Softmax':
      case 'LogSoftmax': {
        const dim = this.softmaxAxis(node, fail);
        this.layers.push(node.opType === 'Softmax' ? new nn.Softmax(dim) : new nn.LogSoftmax(dim));
        return true;
      }
      case 'LayerNormalization': {
        if (this.int(node, 'axis', -1) !== -1) fail(`axis ${node.attributes.axis} (only the last axis maps to nn.LayerNorm)`);
        const scale = this.constant(node, 1, 'scale');
        if (scale.dims.length !== 1) fail(`scale must be 1-D, is [${scale.dims}]`);
        const n = scale.dims[0];
        const eps = node.attributes.epsilon;
        const ln = new nn.LayerNorm(n, { eps: typeof eps === 'number' ? eps : 1e-5 });
        const bias = node.inputs[2] ? floatTensor(this.constant(node, 2, 'bias'), [n]) : tensor(new Float32Array(n));
        load(ln, { weight: floatTensor(scale), bias });
        this.layers.push(ln);
        return true;
      }
      case 'Gather': {
        if (this.int(node, 'axis', 0) !== 0) fail('only axis 0 (an embedding lookup) is supported');
        const table = this.constant(node, 0, 'table');
        if (table.dims.length !== 2) fail(`table must be 2-D, is [${table.dims}]`);
        const emb = new nn.Embedding(table.dims[0], table.dims[1], { skipInit: true });
        load(emb, { weight: floatTensor(table) });
        this.layers.push(emb);
        return true;
      }
      case 'Conv': return this.conv(node, fail);
      case 'MaxPool': return this.maxPool(node, fail);
      default: return false;
    }
  }

  /**
   * The nn dim of a (Log)Softmax node. Before opset 13 the op flattened the input to 2-D at `axis`
   * (default 1) and normalised each row, which is a single-dim softmax only when `axis` is the
   * last dim, so the rank must be known there (from the graph input or output it touches).
   */
  private softmaxAxis(node: ONNXNode, fail: (d: string) => never): number {
    if (this.shapes.opset >= 13) return this.int(node, 'axis', -1);
    const axis = this.int(node, 'axis', 1);
    const rank = this.shapes.rankOf(node.inputs[0]) ?? this.shapes.rankOf(node.outputs[0]);
    if (rank === null) fail(`opset ${this.shapes.opset} coerces the input to 2-D at axis ${axis}; without its rank the axis cannot be checked to be the last`);
    if (axis !== rank - 1 && axis !== -1) fail(`opset ${this.shapes.opset} softmax over dims ${axis}.. of a rank-${rank} input (flattened) has no single-dim nn equivalent`);
    return -1;
  }

  private spatial(node: ONNXNode, fail: (d: string) => never, kernel: number[]): { stride: [number, number]; padding: [number, number]; dilation: [number, number] } {
    const autoPad = node.attributes.auto_pad;
    if (autoPad !== undefined && autoPad !== 'NOTSET') fail(`auto_pad ${autoPad} is not supported; pads must be explicit`);
    const strides = this.ints(node, 'strides', [1, 1]);
    const pads = this.ints(node, 'pads', [0, 0, 0, 0]);
    const dilations = this.ints(node, 'dilations', [1, 1]);
    if (kernel.length !== 2) fail(`${kernel.length}-D kernels have no nn equivalent (2-D only)`);
    if (pads[0] !== pads[2] || pads[1] !== pads[3]) fail(`asymmetric pads [${pads}]`);
    return { stride: [strides[0], strides[1]], padding: [pads[0], pads[1]], dilation: [dilations[0], dilations[1]] };
  }

  private conv(node: ONNXNode, fail: (d: string) => never): true {
    const w = this.constant(node, 1, 'weight');
    const kernel = this.ints(node, 'kernel_shape', w.dims.slice(2));
    const geometry = this.spatial(node, fail, kernel);
    const group = this.int(node, 'group', 1);
    const [out, inPerGroup] = w.dims;
    const bias = node.inputs.length > 2 && node.inputs[2] !== '';
    if (!Number.isInteger(group) || group < 1 || out % group !== 0) fail(`group ${group} does not divide the ${out} output channels`);
    const conv = new nn.Conv2d(inPerGroup * group, out, [kernel[0], kernel[1]], { ...geometry, bias, skipInit: true, groups: group });
    const params: Record<string, Tensor> = { weight: floatTensor(w) };
    if (bias) params.bias = floatTensor(this.constant(node, 2, 'bias'), [out]);
    load(conv, params);
    this.layers.push(conv);
    return true;
  }

  private maxPool(node: ONNXNode, fail: (d: string) => never): true {
    const kernel = this.ints(node, 'kernel_shape', []);
    const geometry = this.spatial(node, fail, kernel);
    if (this.int(node, 'ceil_mode', 0) !== 0) fail('ceil_mode = 1 (nn.MaxPool2d floors)');
    if (this.int(node, 'storage_order', 0) !== 0) fail('storage_order = 1');
    if (node.outputs.length > 1 && node.outputs[1] !== '') fail('the Indices output has no nn equivalent');
    this.layers.push(new nn.MaxPool2d([kernel[0], kernel[1]], geometry));
    return true;
  }

  /** An elementwise region (several nodes from `input` to `output`) recognized as an activation. */
  activation(nodes: ONNXNode[], input: string, output: string): void {
    const kind = identifyActivation(nodes, input, output, this.constants);
    const first = nodes[0];
    switch (kind) {
      case 'gelu': this.layers.push(new nn.GELU()); return;
      case 'gelu_tanh': this.layers.push(new nn.GELU({ approximate: 'tanh' })); return;
      case 'relu': this.layers.push(new nn.ReLU()); return;
      case 'sigmoid': this.layers.push(new nn.Sigmoid()); return;
      case 'tanh': this.layers.push(new nn.Tanh()); return;
      default:
        throw new UnsupportedNodeError(label(first), first.opType, `the ${nodes.length} node(s) from '${input}' to '${output}' are not a layer nn.Sequential can hold`);
    }
  }
}

/**
 * Rebuilds an `nn.Sequential` (eval mode, weights copied) from an ONNX graph that is a chain of
 * layers: one graph input (ids for a leading Gather) flowing through Gemm / MatMul (+ Add) ->
 * Linear, Relu / Sigmoid / Tanh, GELU (as Erf or Tanh arithmetic, recognized by evaluating it),
 * Conv (2-D) -> Conv2d, MaxPool (2-D) -> MaxPool2d, Flatten (axis 1), LayerNormalization (last
 * axis) -> LayerNorm, Gather (axis 0) -> Embedding, Softmax / LogSoftmax -> Softmax / LogSoftmax
 * (before opset 13 only on the last axis of a graph input or output of known rank), Dropout /
 * Identity -> nothing. Initializers, Constant nodes and Transpose of a constant are folded first.
 *
 * Throws {@link UnsupportedNodeError} naming the first node it cannot rebuild, and
 * {@link ONNXError} `E_ONNX_UNSUPPORTED` when the graph is not a single-input single-output chain.
 */
export function importSequential(file: ONNXGraph): nn.Sequential {
  const order = topologicalOrder(file, 'importSequential');
  const { constants, folded } = foldConstants(file, order);
  const dataInputs = file.inputs.filter((v) => !constants.has(v.name));
  if (dataInputs.length !== 1 || file.outputs.length !== 1) {
    throw new ONNXError('E_ONNX_UNSUPPORTED', `importSequential: a Sequential has one input and one output; the graph has inputs [${dataInputs.map((v) => v.name)}] and outputs [${file.outputs.map((v) => v.name)}]`);
  }
  const reader = new SequentialReader(constants, graphFacts(file));
  const pending = order.filter((i) => !folded.has(i)).map((i) => file.nodes[i]);
  let current = dataInputs[0].name;
  let k = 0;
  while (k < pending.length) {
    const node = pending[k];
    const variable = node.inputs.filter((x) => x !== '' && !constants.has(x));
    if (!variable.includes(current)) {
      throw new UnsupportedNodeError(label(node), node.opType, `does not read the running value '${current}' (the graph is not a chain)`);
    }
    const usedLater = (name: string, from: number) => pending.slice(from).some((n) => n.inputs.includes(name)) || file.outputs.some((o) => o.name === name);
    const chainStep = variable.length === 1 && node.outputs.filter((o) => o !== '' && usedLater(o, k + 1)).length === 1 && !usedLater(current, k + 1);
    if (chainStep && reader.single(node)) {
      current = node.outputs[0];
      k++;
      continue;
    }
    // Several nodes share `current` (an activation written out as arithmetic): take nodes until only
    // one value derived from it is still needed, then identify the function they compute.
    const region: ONNXNode[] = [];
    const live = new Set([current]);
    let j = k;
    do {
      const n = pending[j++];
      region.push(n);
      for (const o of n.outputs) if (o !== '') live.add(o);
      for (const v of [...live]) if (!usedLater(v, j)) live.delete(v);
    } while (j < pending.length && live.size > 1);
    if (live.size !== 1) throw new UnsupportedNodeError(label(node), node.opType, `nodes from '${current}' never rejoin into one value`);
    const output = [...live][0];
    reader.activation(region, current, output);
    current = output;
    k = j;
  }
  if (current !== file.outputs[0].name) {
    throw new ONNXError('E_ONNX_UNSUPPORTED', `importSequential: the chain ends at '${current}', not at the graph output '${file.outputs[0].name}'`);
  }
  return new nn.Sequential(...reader.layers).eval();
}
