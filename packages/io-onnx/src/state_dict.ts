// GPT-2 weights from an ONNX export's initializers, under Hugging Face state_dict names.
import { ONNXError } from './errors';
import type { ONNXGraph } from './onnx_file';
import { onnxTensorValues } from './to_tensor';

/** The architecture fields of a Hugging Face GPT-2 `config.json` that fix the parameter shapes. */
export interface GPT2ShapeConfig {
  n_layer: number;
  n_embd: number;
  vocab_size: number;
  n_positions: number;
  /** MLP width; `null` / absent means `4 * n_embd`, as in transformers' GPT2MLP. */
  n_inner?: number | null;
}

/** A checkpoint tensor: row-major data with its shape (the `HostTensor` shape `@gorch/gpt2` reads). */
export interface StateDictTensor {
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Result of {@link onnxToStateDict}. */
export interface ONNXStateDict {
  /** Hugging Face `GPT2LMHeadModel` names (`transformer.h.0.attn.c_attn.weight`, ...) -> tensor, in HF order. */
  tensors: Map<string, StateDictTensor>;
  /** Names that the file lacks and that were filled with ones (LayerNorm weights) or zeros (biases). */
  filled: string[];
  /** Initializers that are not GPT-2 parameters (e.g. an exporter's transposed copy of the tied `lm_head`). */
  unused: string[];
}

/** HF GPT-2 parameter names and shapes (transformers `modeling_gpt2.py`; Conv1D weights are [in, out]). */
function hfSpecs(cfg: GPT2ShapeConfig): { name: string; shape: number[]; fill?: 0 | 1 }[] {
  const { n_embd: C, vocab_size: V, n_positions: P } = cfg;
  const I = cfg.n_inner ?? 4 * C;
  const t = 'transformer.';
  const specs: { name: string; shape: number[]; fill?: 0 | 1 }[] = [
    { name: `${t}wte.weight`, shape: [V, C] },
    { name: `${t}wpe.weight`, shape: [P, C] },
  ];
  for (let i = 0; i < cfg.n_layer; i++) {
    const h = `${t}h.${i}.`;
    specs.push(
      { name: `${h}ln_1.weight`, shape: [C], fill: 1 }, { name: `${h}ln_1.bias`, shape: [C], fill: 0 },
      { name: `${h}attn.c_attn.weight`, shape: [C, 3 * C] }, { name: `${h}attn.c_attn.bias`, shape: [3 * C], fill: 0 },
      { name: `${h}attn.c_proj.weight`, shape: [C, C] }, { name: `${h}attn.c_proj.bias`, shape: [C], fill: 0 },
      { name: `${h}ln_2.weight`, shape: [C], fill: 1 }, { name: `${h}ln_2.bias`, shape: [C], fill: 0 },
      { name: `${h}mlp.c_fc.weight`, shape: [C, I] }, { name: `${h}mlp.c_fc.bias`, shape: [I], fill: 0 },
      { name: `${h}mlp.c_proj.weight`, shape: [I, C] }, { name: `${h}mlp.c_proj.bias`, shape: [C], fill: 0 },
    );
  }
  specs.push({ name: `${t}ln_f.weight`, shape: [C], fill: 1 }, { name: `${t}ln_f.bias`, shape: [C], fill: 0 });
  return specs;
}

/**
 * Reads GPT-2 weights from the initializers of an ONNX export that kept Hugging Face names (as
 * onnxruntime's transformers exporter does: `transformer.wte.weight`, `transformer.h.0.ln_1.weight`,
 * ...; names without the `transformer.` prefix are accepted too) and returns them as a Hugging Face
 * `GPT2LMHeadModel` state dict, which `@gorch/gpt2` loads like a safetensors checkpoint.
 *
 * Exporters fold constant tensors away: a LayerNorm weight or a bias the file lacks is filled with
 * ones / zeros (its value in a model whose LayerNorms are identity and biases zero, such as
 * `hf-internal-testing/tiny-random-gpt2`) and listed in `filled`. A missing weight matrix or
 * embedding cannot be filled. `lm_head` is returned only when the file names it `lm_head.weight`;
 * otherwise the head is taken as tied to `wte`.
 *
 * Throws {@link ONNXError} `E_ONNX_ARG` for a config without positive sizes, `E_ONNX_DATA` naming the tensor when a weight is missing or a tensor's
 * shape differs from `config`, `E_ONNX_DTYPE` when it is not a floating type.
 */
export function onnxToStateDict(file: Pick<ONNXGraph, 'tensors' | 'names'>, config: GPT2ShapeConfig, source = 'ONNX file'): ONNXStateDict {
  for (const key of ['n_layer', 'n_embd', 'vocab_size', 'n_positions'] as const) {
    if (!Number.isSafeInteger(config[key]) || config[key] < 1) throw new ONNXError('E_ONNX_ARG', `onnxToStateDict: config.${key} must be a positive integer, got ${config[key]}`);
  }
  const lookup = (hfName: string) => file.tensors.get(hfName) ?? file.tensors.get(hfName.replace(/^transformer\./, ''));
  const tensors = new Map<string, StateDictTensor>();
  const filled: string[] = [];
  const used = new Set<string>();
  const specs = hfSpecs(config);
  const lmHead = file.tensors.get('lm_head.weight');
  if (lmHead) specs.push({ name: 'lm_head.weight', shape: [config.vocab_size, config.n_embd] });
  for (const { name, shape, fill } of specs) {
    const t = lookup(name);
    if (!t) {
      if (fill === undefined) throw new ONNXError('E_ONNX_DATA', `${source}: GPT-2 weight '${name}' [${shape}] is not among the initializers`);
      tensors.set(name, { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill) });
      filled.push(name);
      continue;
    }
    if (t.dims.length !== shape.length || t.dims.some((d, i) => d !== shape[i])) {
      throw new ONNXError('E_ONNX_DATA', `${source}: initializer '${t.name}' has shape [${t.dims}], the config needs [${shape}]`);
    }
    const data = onnxTensorValues(t);
    if (!(data instanceof Float32Array)) throw new ONNXError('E_ONNX_DTYPE', `${source}: initializer '${t.name}' is ${t.dtype}, not a floating type`);
    used.add(t.name);
    tensors.set(name, { shape: [...t.dims], data });
  }
  return { tensors, filled, unused: file.names.filter((n) => !used.has(n)) };
}
