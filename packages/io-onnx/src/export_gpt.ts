// nn.GPT -> ONNX: int64 input_ids [batch, sequence] -> logits [batch, sequence, vocab], both
// dimensions symbolic, positions and the causal mask computed inside the graph.
import { GELU, GPT, ReLU, Sigmoid, Tanh, type LayerNorm, type Linear, type Module, type TransformerBlock } from '@gorch/nn';
import { float, ONNXModelBuilder } from './builder';
import { DataType } from './data_type';
import { ONNXError, UnsupportedModuleError } from './errors';
import { constant, constantInt64, exportGELU, paramTensor, transposedParam } from './export_layers';
import { writeFileAtomic } from './write_file';

// Hugging Face fills masked attention scores with torch.finfo(float32).min, as nn.MultiHeadAttention does.
const MASKED = -3.4028234663852886e38;

class GPTWriter {
  readonly b = new ONNXModelBuilder({ graphName: 'gorch_gpt', docString: 'GPT exported by @gorch/io-onnx' });
  constructor(private readonly model: GPT) {}

  /** `name` (an HF key) as a MatMul-ready [in, out] weight: the Conv1D layout of HF GPT-2. */
  private matmul(x: string, layer: Linear, name: string): string {
    const y = this.b.op('MatMul', [x, this.b.initializer(`${name}.weight`, transposedParam(layer.weight))]);
    return layer.bias ? this.b.op('Add', [y, this.b.initializer(`${name}.bias`, paramTensor(layer.bias))]) : y;
  }

  private layerNorm(x: string, ln: LayerNorm, name: string): string {
    const p = Object.fromEntries(ln.namedParameters());
    const w = this.b.initializer(`${name}.weight`, paramTensor(p.weight));
    const bias = this.b.initializer(`${name}.bias`, paramTensor(p.bias));
    return this.b.op('LayerNormalization', [x, w, bias], { axis: -1, epsilon: float(ln.eps) });
  }

  private activation(x: string, act: Module, layer: number): string {
    if (act instanceof GELU) return exportGELU(this.b, x, act);
    if (act instanceof ReLU) return this.b.op('Relu', [x]);
    if (act instanceof Tanh) return this.b.op('Tanh', [x]);
    if (act instanceof Sigmoid) return this.b.op('Sigmoid', [x]);
    throw new UnsupportedModuleError(act.constructor.name, layer, 'MLP activation of GPT block h.' + layer);
  }

  private block(x: string, block: TransformerBlock, i: number, masks: { global: string; local: (w: number) => string }): string {
    const b = this.b;
    const name = `transformer.h.${i}`;
    const attn = block.attn;
    const { nEmbd: C, nHead: H, headDim: D } = attn;
    const qkv = this.matmul(this.layerNorm(x, block.ln_1, `${name}.ln_1`), attn.c_attn, `${name}.attn.c_attn`);
    const [q, k, v] = b.node('Split', [qkv, constantInt64(b, 'qkv_split', [C, C, C])], { axis: -1 }, 3);
    const heads = constantInt64(b, 'heads_shape', [0, 0, H, D]);
    const split = (t: string, perm: number[]) => b.op('Transpose', [b.op('Reshape', [t, heads])], { perm });
    let scores = b.op('MatMul', [split(q, [0, 2, 1, 3]), split(k, [0, 2, 3, 1])]);
    if (attn.scale !== 1) scores = b.op('Mul', [scores, constant(b, 'attn_scale', [attn.scale], [])]);
    const allowed = attn.windowSize === null ? masks.global : masks.local(attn.windowSize);
    const probs = b.op('Softmax', [b.op('Where', [allowed, scores, constant(b, 'masked', [MASKED], [])])], { axis: -1 });
    const merged = b.op('Reshape', [b.op('Transpose', [b.op('MatMul', [probs, split(v, [0, 2, 1, 3])])], { perm: [0, 2, 1, 3] }), constantInt64(b, 'merged_shape', [0, 0, C])]);
    const a = b.op('Add', [x, this.matmul(merged, attn.c_proj, `${name}.attn.c_proj`)]);
    const h = this.matmul(this.layerNorm(a, block.ln_2, `${name}.ln_2`), block.mlp.c_fc, `${name}.mlp.c_fc`);
    return b.op('Add', [a, this.matmul(this.activation(h, block.mlp.act, i), block.mlp.c_proj, `${name}.mlp.c_proj`)]);
  }

  write(): Uint8Array {
    const { b, model } = this;
    const V = model.config.vocabSize;
    const ids = b.input('input_ids', DataType.INT64, ['batch', 'sequence']);
    const zero = constantInt64(b, 'zero', [0], []);
    const one = constantInt64(b, 'one', [1], []);
    const T = b.op('Gather', [b.op('Shape', [ids]), one], { axis: 0 });
    const positions = b.op('Range', [zero, T, one]);
    const wte = b.initializer('transformer.wte.weight', paramTensor(model.wte.weight));
    const wpe = b.initializer('transformer.wpe.weight', paramTensor(model.wpe.weight));
    let x = b.op('Add', [b.op('Gather', [wte, ids], { axis: 0 }), b.op('Gather', [wpe, positions], { axis: 0 })]);
    // allowed[i][j] = j <= i (and i - j < window for local layers), shared by every layer.
    const rows = b.op('Unsqueeze', [positions, constantInt64(b, 'axis1', [1])]);
    const cols = b.op('Unsqueeze', [positions, constantInt64(b, 'axis0', [0])]);
    const global = b.op('GreaterOrEqual', [rows, cols]);
    const localMasks = new Map<number, string>();
    const local = (w: number): string => {
      if (!localMasks.has(w)) {
        const inWindow = b.op('Less', [b.op('Sub', [rows, cols]), constantInt64(b, 'window', [w], [])]);
        localMasks.set(w, b.op('And', [global, inWindow]));
      }
      return localMasks.get(w)!;
    };
    let i = 0;
    for (const block of model.h) x = this.block(x, block, i++, { global, local });
    x = this.layerNorm(x, model.ln_f, 'transformer.ln_f');
    // A tied head reuses the wte initializer; an untied one is stored as HF's lm_head.weight [V, C].
    const head = model.isTied ? wte : b.initializer('lm_head.weight', paramTensor(model.lm_head.weight));
    const logits = b.op('MatMul', [x, b.op('Transpose', [head], { perm: [1, 0] })], {}, 'logits');
    b.output(logits, DataType.FLOAT, ['batch', 'sequence', V]);
    return b.toBytes();
  }
}

/**
 * The ONNX bytes (opset 17, IR 8) of a whole {@link GPT} in eval mode: input `input_ids` int64
 * [batch, sequence] -> output `logits` float32 [batch, sequence, vocabSize], both dimensions
 * symbolic. Positions (`Range` over the sequence length) and the causal mask (`GreaterOrEqual` of
 * position grids; GPT-Neo local layers also `Less` than the window) are computed in the graph, masked
 * scores are set to float32's minimum as Hugging Face does, GELU is written with Erf / Tanh.
 * Initializers carry Hugging Face GPT-2 names and layouts (`transformer.h.0.attn.c_attn.weight`
 * [C, 3C], Conv1D style), so {@link onnxToStateDict} reads them back. A sequence longer than
 * `nPositions` fails in the Gather of `wpe`, as in the model.
 *
 * Throws {@link ONNXError} `E_ONNX_ARG` for a non-GPT, {@link UnsupportedModuleError} for an MLP
 * activation other than GELU / ReLU / Tanh / Sigmoid.
 */
export function gptToONNXBytes(model: GPT): Uint8Array {
  if (!(model instanceof GPT)) throw new ONNXError('E_ONNX_ARG', 'exportGPTToONNX: expected an nn.GPT');
  return new GPTWriter(model).write();
}

/** Writes {@link gptToONNXBytes} to `path` atomically (temp file + rename). */
export function exportGPTToONNX(model: GPT, path: string): void {
  writeFileAtomic(path, gptToONNXBytes(model));
}
