import type { GPT2Config } from './config';
import { CheckpointError, TensorLayoutError } from './errors';
import { transpose2d, type HostTensor } from './host_tensor';

/**
 * Maps Hugging Face checkpoint keys onto the state-dict names of `@gorch/nn`'s `GPT` and back.
 *
 * gorch names (all Linear weights `[out, in]`): `wte.weight`, `wpe.weight`, `h.{i}.ln_1.*`,
 * `h.{i}.attn.c_attn.weight` `[3C, C]` (Q | K | V stacked along the output axis) and `.bias`
 * (GPT-2 only), `h.{i}.attn.c_proj.*`, `h.{i}.ln_2.*`, `h.{i}.mlp.c_fc.*`, `h.{i}.mlp.c_proj.*`,
 * `ln_f.*`, `lm_head.weight` (only when not tied).
 *
 * HF GPT-2 (transformers `modeling_gpt2.py`): keys with or without `transformer.`; the four Conv1D
 * weights are stored `[in, out]` and are transposed here; `attn.bias` / `attn.masked_bias` are
 * causal-mask buffers, not parameters. HF GPT-Neo (`modeling_gpt_neo.py`): `attn.attention.{q,k,v}_proj`
 * (Linear, no bias) are stacked into `c_attn`, `attn.attention.out_proj` becomes `c_proj`, and the
 * MLP is already Linear.
 */

/** One parameter: its gorch name and shape. */
export interface ParamSpec { name: string; shape: number[] }

/** The parameters of the gorch model for `cfg`, in state-dict order. */
export function gorchParamSpecs(cfg: GPT2Config): ParamSpec[] {
  const { vocabSize: V, nEmbd: C, nPositions: P, nInner: I } = cfg;
  const out: ParamSpec[] = [{ name: 'wte.weight', shape: [V, C] }, { name: 'wpe.weight', shape: [P, C] }];
  for (let i = 0; i < cfg.nLayer; i++) {
    const h = `h.${i}.`;
    out.push(
      { name: `${h}ln_1.weight`, shape: [C] }, { name: `${h}ln_1.bias`, shape: [C] },
      { name: `${h}attn.c_attn.weight`, shape: [3 * C, C] },
      ...(cfg.qkvBias ? [{ name: `${h}attn.c_attn.bias`, shape: [3 * C] }] : []),
      { name: `${h}attn.c_proj.weight`, shape: [C, C] }, { name: `${h}attn.c_proj.bias`, shape: [C] },
      { name: `${h}ln_2.weight`, shape: [C] }, { name: `${h}ln_2.bias`, shape: [C] },
      { name: `${h}mlp.c_fc.weight`, shape: [I, C] }, { name: `${h}mlp.c_fc.bias`, shape: [I] },
      { name: `${h}mlp.c_proj.weight`, shape: [C, I] }, { name: `${h}mlp.c_proj.bias`, shape: [C] },
    );
  }
  out.push({ name: 'ln_f.weight', shape: [C] }, { name: 'ln_f.bias', shape: [C] });
  if (!cfg.tieWordEmbeddings) out.push({ name: 'lm_head.weight', shape: [V, C] });
  return out;
}

const CONV1D = /^h\.\d+\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight$/;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** How one gorch parameter is made from checkpoint tensors. */
export interface ParamPlan {
  /** gorch name and shape. */
  name: string;
  shape: number[];
  /** The checkpoint keys it is made of, with the shape each must have. */
  sources: { key: string; shape: number[] }[];
  /** Builds the parameter from the source tensors (in `sources` order). */
  build(parts: HostTensor[]): HostTensor;
}

/** Result of {@link planLayout}. */
export interface LayoutPlan {
  plans: ParamPlan[];
  /** Whether the file uses the `transformer.` prefix. */
  prefixed: boolean;
  /** Checkpoint keys that are neither parameters nor known buffers (nor a tied lm_head), nor in {@link LayoutPlan.extraLayers}. */
  unused: string[];
  /** Checkpoint keys of layers `h.{i}` with `i >= nLayer` (buffers excluded): the config has fewer
   * layers than the weights, which {@link checkSources} refuses. */
  extraLayers: string[];
  /** `nLayer` of the config planned for. */
  nLayer: number;
}

const LAYER = /^(?:transformer\.)?h\.(\d+)\./;

const BUFFER = /(^|\.)attn\.(attention\.)?(bias|masked_bias)$/;

/** True for the causal-mask buffers HF checkpoints may carry (`attn.bias`, `attn.masked_bias`, GPT-Neo's `attn.attention.*`). */
export function isAttentionBuffer(key: string): boolean {
  return BUFFER.test(key);
}

/**
 * Which checkpoint tensors make each gorch parameter of `cfg`, and how (transpose a Conv1D weight,
 * stack GPT-Neo's q|k|v, or take as is). `keys` are the checkpoint's keys, used to detect the
 * `transformer.` prefix and the unused keys.
 */
export function planLayout(cfg: GPT2Config, keys: Iterable<string>): LayoutPlan {
  const all = [...keys];
  const prefixed = all.some((k) => k.startsWith('transformer.'));
  const hfKey = (name: string) => (name === 'lm_head.weight' || !prefixed ? name : `transformer.${name}`);
  const C = cfg.nEmbd;
  const same = (parts: HostTensor[]) => parts[0];
  const plans = gorchParamSpecs(cfg).map(({ name, shape }): ParamPlan => {
    const neo = cfg.modelType === 'gpt_neo' ? /^h\.(\d+)\.attn\.(c_attn|c_proj)\.(weight|bias)$/.exec(name) : null;
    if (neo) {
      const base = `h.${neo[1]}.attn.attention.`;
      if (neo[2] === 'c_proj') return { name, shape, sources: [{ key: hfKey(`${base}out_proj.${neo[3]}`), shape }], build: same };
      return {
        name, shape,
        sources: ['q', 'k', 'v'].map((p) => ({ key: hfKey(`${base}${p}_proj.weight`), shape: [C, C] })),
        build: (parts) => {
          const data = new Float32Array(3 * C * C);
          parts.forEach((t, j) => data.set(t.data, j * C * C));
          return { shape, data };
        },
      };
    }
    if (cfg.modelType === 'gpt2' && CONV1D.test(name)) {
      return { name, shape, sources: [{ key: hfKey(name), shape: [shape[1], shape[0]] }], build: (parts) => transpose2d(parts[0]) };
    }
    return { name, shape, sources: [{ key: hfKey(name), shape }], build: same };
  });
  const used = new Set(plans.flatMap((p) => p.sources.map((s) => s.key)));
  const leftover = all.filter((k) => !used.has(k) && !BUFFER.test(k) && k !== 'lm_head.weight');
  const beyond = (k: string) => { const m = LAYER.exec(k); return m !== null && Number(m[1]) >= cfg.nLayer; };
  return { plans, prefixed, unused: leftover.filter((k) => !beyond(k)), extraLayers: leftover.filter(beyond), nLayer: cfg.nLayer };
}

/**
 * Checks that the checkpoint has no layer past the config's `nLayer` (transformers would only warn
 * about those unused weights, but they always mean config.json and the weights disagree) and that
 * `shapeOf(key)` has every source of `plan` with the right shape. Other unknown keys are allowed
 * (they are reported as `plan.unused`).
 * @throws TensorLayoutError `E_UNEXPECTED_TENSOR` listing the keys of layers >= nLayer; otherwise
 *   naming the key, the expected and the found shape
 */
export function checkSources(plan: LayoutPlan, shapeOf: (key: string) => readonly number[] | undefined, source: string): void {
  if (plan.extraLayers.length > 0) {
    const top = plan.extraLayers.reduce((m, k) => Math.max(m, Number(LAYER.exec(k)![1])), 0);
    throw new TensorLayoutError('', [], null, source, plan.extraLayers,
      `the checkpoint has layers up to h.${top} but the config says n_layer ${plan.nLayer} (num_layers for GPT-Neo); fix config.json or pass the right GPT2Config`);
  }
  for (const p of plan.plans) {
    for (const { key, shape } of p.sources) {
      const found = shapeOf(key);
      if (found === undefined) throw new TensorLayoutError(key, shape, null, source);
      if (!sameShape(found, shape)) throw new TensorLayoutError(key, shape, [...found], source);
    }
  }
}

/** Result of {@link hfToGorch}. */
export interface MappedCheckpoint {
  /** gorch name -> tensor, exactly the names of {@link gorchParamSpecs}. */
  tensors: Map<string, HostTensor>;
  /** Whether the file uses the `transformer.` prefix (kept when saving back). */
  prefixed: boolean;
  /** Checkpoint keys that are neither parameters nor known buffers. */
  unused: string[];
}

/**
 * Converts a Hugging Face state dict (in memory) into gorch names and layouts for `cfg`
 * (see {@link planLayout}).
 *
 * @throws TensorLayoutError naming the HF key, the expected and the found shape, for a missing,
 *   mis-shaped or integer tensor, or listing the keys of layers past `cfg.nLayer` (see {@link checkSources}) (a missing `lm_head.weight` is not an error when
 *   `cfg.tieWordEmbeddings`)
 */
export function hfToGorch(raw: ReadonlyMap<string, HostTensor>, cfg: GPT2Config, source: string): MappedCheckpoint {
  const layout = planLayout(cfg, raw.keys());
  checkSources(layout, (k) => raw.get(k)?.shape, source);
  const tensors = new Map<string, HostTensor>();
  for (const p of layout.plans) tensors.set(p.name, p.build(p.sources.map((s) => floatTensor(raw.get(s.key)!, s.key, source))));
  return { tensors, prefixed: layout.prefixed, unused: layout.unused };
}

/** @throws CheckpointError when a checkpoint tensor that should be a float parameter is integer */
export function floatTensor(t: HostTensor, key: string, source: string): HostTensor {
  if (!(t.data instanceof Float32Array)) throw new CheckpointError(`${source}: tensor "${key}" has an integer dtype, expected a floating-point parameter`);
  return t;
}

/**
 * The inverse of {@link hfToGorch}: gorch names -> the Hugging Face keys and layouts `save_pretrained`
 * writes (`transformer.` prefix, Conv1D weights `[in, out]` for GPT-2, split q/k/v for GPT-Neo; a
 * tied `lm_head` is omitted as HF does).
 *
 * @throws TensorLayoutError when a parameter of {@link gorchParamSpecs} is missing or mis-shaped
 */
export function gorchToHF(state: ReadonlyMap<string, HostTensor>, cfg: GPT2Config, source = 'state_dict'): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  const C = cfg.nEmbd;
  for (const { name, shape } of gorchParamSpecs(cfg)) {
    const t = state.get(name);
    if (!t) throw new TensorLayoutError(name, shape, null, source);
    if (!sameShape(t.shape, shape)) throw new TensorLayoutError(name, shape, t.shape, source);
    const key = name === 'lm_head.weight' ? name : `transformer.${name}`;
    const neo = cfg.modelType === 'gpt_neo' ? /^h\.(\d+)\.attn\.(c_attn|c_proj)\.(weight|bias)$/.exec(name) : null;
    if (neo) {
      const base = `transformer.h.${neo[1]}.attn.attention.`;
      if (neo[2] === 'c_proj') out.set(`${base}out_proj.${neo[3]}`, t);
      else ['q', 'k', 'v'].forEach((p, j) => out.set(`${base}${p}_proj.weight`, { shape: [C, C], data: t.data.slice(j * C * C, (j + 1) * C * C) }));
    } else if (cfg.modelType === 'gpt2' && CONV1D.test(name)) {
      out.set(key, transpose2d(t));
    } else {
      out.set(key, t);
    }
  }
  return out;
}
