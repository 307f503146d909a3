// The plain-object view of a parsed ONNX model that parseONNX returns.
import type { ONNXTensor } from './tensor_data';

/** Names of AttributeProto.AttributeType values. */
export type AttributeTypeName =
  | 'FLOAT' | 'INT' | 'STRING' | 'TENSOR' | 'GRAPH' | 'SPARSE_TENSOR' | 'TYPE_PROTO'
  | 'FLOATS' | 'INTS' | 'STRINGS' | 'TENSORS' | 'GRAPHS' | 'SPARSE_TENSORS' | 'TYPE_PROTOS';

/**
 * An attribute value: `number` (FLOAT, INT — int64 values beyond 2^53 are rounded), `string` (STRING,
 * decoded as UTF-8), `number[]` / `string[]` for the list forms, an {@link ONNXTensor} or
 * {@link ONNXGraph} (and arrays of them), and `null` for sparse tensors and type protos, which
 * io-onnx does not decode.
 */
export type AttributeValue = number | string | number[] | string[] | ONNXTensor | ONNXTensor[] | ONNXGraph | ONNXGraph[] | null;

/** One NodeProto. Empty strings in `inputs` / `outputs` mark absent optional values, as in the spec. */
export interface ONNXNode {
  opType: string;
  /** Operator set domain; `''` is the default `ai.onnx` domain. */
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
  /** The AttributeProto.type of each attribute in `attributes`. */
  attributeTypes: Record<string, AttributeTypeName>;
}

/** A dimension of a graph input or output: a number, a symbolic name (`dim_param`), or `null` when unknown. */
export type ONNXDim = number | string | null;

/** A graph input or output (ValueInfoProto with a tensor type). */
export interface ONNXValueInfo {
  name: string;
  /** Element type name (`'float32'`, `'int64'`, ...), or `null` when the value is not a tensor or has no type. */
  dtype: string | null;
  /** Dims, or `null` when the shape is not given. */
  shape: ONNXDim[] | null;
}

/** One GraphProto: nodes in file order, initializers by name, inputs and outputs. */
export interface ONNXGraph {
  name: string;
  nodes: ONNXNode[];
  /** Initializers by name, decoded (see {@link ONNXTensor}). */
  tensors: Map<string, ONNXTensor>;
  /** Initializer names in file order. */
  names: string[];
  /** Graph inputs as listed (files older than IR 4 also list their initializers here). */
  inputs: ONNXValueInfo[];
  outputs: ONNXValueInfo[];
}

/** An operator set a model imports. */
export interface ONNXOpsetImport {
  /** `''` (or `'ai.onnx'`) for the standard operators. */
  domain: string;
  version: number;
}

/** A parsed ONNX ModelProto: its main graph's fields plus the model's header. */
export interface ONNXFile extends ONNXGraph {
  irVersion: number;
  producer: { name: string; version: string };
  opsetImports: ONNXOpsetImport[];
  /** ModelProto.metadata_props. */
  metadata: Record<string, string>;
  docString: string;
}
