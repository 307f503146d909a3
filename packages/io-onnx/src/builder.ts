// A small writer for ONNX models: collect inputs, initializers and nodes, then encode a ModelProto.
import { DataType } from './data_type';
import { ONNXError } from './errors';
import { onnxType } from './schema';

/** An attribute value the builder writes: number (INT when `Number.isInteger`, else FLOAT — use {@link float} to force FLOAT), string, number[] (INTS), or a tensor. */
export type BuilderAttribute = number | string | number[] | { float: number } | { floats: number[] } | BuilderTensor;

/** Forces a FLOAT attribute for an integral number (e.g. `alpha: float(1)`). */
export const float = (value: number): { float: number } => ({ float: value });

/** A tensor to write: float32, int32 or int64 values with dims. */
export interface BuilderTensor {
  dims: readonly number[];
  data: Float32Array | Int32Array | BigInt64Array;
}

/** A dimension of a graph input/output: a size, or a symbolic `dim_param` name such as `'batch'`. */
export type BuilderDim = number | string;

const elemType = (data: BuilderTensor['data']): number =>
  data instanceof Float32Array ? DataType.FLOAT : data instanceof Int32Array ? DataType.INT32 : DataType.INT64;

function tensorProto(name: string, t: BuilderTensor): object {
  const size = t.dims.reduce((a, b) => a * b, 1);
  if (size !== t.data.length) throw new ONNXError('E_ONNX_ARG', `ONNX export: tensor '${name}' has ${t.data.length} values for dims [${t.dims}]`);
  // raw_data is little-endian; copy so the caller's array (possibly a view of a larger buffer) is not referenced.
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  return { name, dims: [...t.dims], data_type: elemType(t.data), raw_data: raw };
}

function attributeProto(name: string, v: BuilderAttribute): object {
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  if ('float' in v) return { name, type: 1, f: v.float };
  if ('floats' in v) return { name, type: 6, floats: v.floats };
  return { name, type: 4, t: tensorProto('', v) };
}

const valueInfo = (name: string, elem: number, dims: readonly BuilderDim[]) => ({
  name,
  type: { tensor_type: { elem_type: elem, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
});

/** Options of {@link ONNXModelBuilder}: the header written to the ModelProto. */
export interface BuilderOptions {
  graphName?: string;
  /** ai.onnx opset version (default 17, the first with LayerNormalization). */
  opset?: number;
  /** IR version (default 8, the IR of opset 17). */
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
}

/**
 * Builds an ONNX ModelProto: graph inputs and outputs (with symbolic dims), initializers, and nodes
 * in topological order (the order they are added). `toBytes()` encodes it with the schema of
 * onnx.proto. Fresh value names come from {@link ONNXModelBuilder.fresh}.
 */
export class ONNXModelBuilder {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(private readonly options: BuilderOptions = {}) {}

  /** A value name not used before, `${hint}_${n}`. */
  fresh(hint: string): string {
    let name: string;
    do name = `${hint}_${this.counter++}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new ONNXError('E_ONNX_ARG', `ONNX export: value name '${name}' is used twice`);
    this.used.add(name);
    return name;
  }

  /** Declares a graph input of ONNX element type `elem` (1 = FLOAT, 7 = INT64). */
  input(name: string, elem: number, dims: readonly BuilderDim[]): string {
    this.inputs.push(valueInfo(this.claim(name), elem, dims));
    return name;
  }

  /** Declares an already-produced value as a graph output. */
  output(name: string, elem: number, dims: readonly BuilderDim[]): void {
    this.outputs.push(valueInfo(name, elem, dims));
  }

  /** Adds an initializer and returns its name. */
  initializer(name: string, t: BuilderTensor): string {
    this.initializers.push(tensorProto(this.claim(name), t));
    return name;
  }

  /** Adds an initializer under a fresh name `${hint}_${n}` and returns the name. */
  constant(hint: string, t: BuilderTensor): string {
    const name = this.fresh(hint);
    this.initializers.push(tensorProto(name, t));
    return name;
  }

  /** Adds a node; returns its output names (fresh ones unless `outputs` names them). */
  node(opType: string, inputs: readonly string[], attributes: Record<string, BuilderAttribute> = {}, outputs: number | readonly string[] = 1): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase())) : outputs.map((o) => this.claim(o));
    this.nodes.push({
      op_type: opType,
      name: `${opType}_${this.nodes.length}`,
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attributes).map(([k, v]) => attributeProto(k, v)),
    });
    return outs;
  }

  /** Adds a node with one output and returns its name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, BuilderAttribute> = {}, output?: string): string {
    return this.node(opType, inputs, attributes, output === undefined ? 1 : [output])[0];
  }

  /** The encoded ModelProto. */
  toBytes(): Uint8Array {
    const o = this.options;
    const model = {
      ir_version: o.irVersion ?? 8,
      opset_import: [{ domain: '', version: o.opset ?? 17 }],
      producer_name: o.producerName ?? 'gorch',
      producer_version: o.producerVersion ?? '0.1.0',
      doc_string: o.docString ?? '',
      graph: { name: o.graphName ?? 'gorch', node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
    const type = onnxType('ModelProto');
    return type.encode(type.fromObject(model)).finish();
  }
}
