// parseONNX: bytes -> ONNXFile, strictly (wire check, then protobufjs, then tensor and graph checks).
import { ONNXError } from './errors';
import { DATA_TYPES } from './data_type';
import { topologicalOrder } from './graph_order';
import { int64ToNumber, type Int64Like } from './long';
import type { AttributeTypeName, AttributeValue, ONNXFile, ONNXGraph, ONNXNode, ONNXValueInfo } from './onnx_file';
import { onnxDecodeType } from './schema';
import { decodeTensorProto, type DecodeContext, type ExternalDataReader, type TensorProtoMessage } from './tensor_data';
import { checkWireFormat } from './wire_check';

/* The decoded protobufjs messages, typed by the fields this file reads. */
interface AttributeMsg {
  name?: string; type?: number; f?: number; i?: Int64Like; s?: Uint8Array; t?: TensorProtoMessage; g?: GraphMsg;
  floats?: number[]; ints?: Int64Like[]; strings?: Uint8Array[]; tensors?: TensorProtoMessage[]; graphs?: GraphMsg[];
  sparse_tensor?: unknown; tp?: unknown; sparse_tensors?: unknown[]; type_protos?: unknown[];
}
interface NodeMsg { input?: string[]; output?: string[]; name?: string; op_type?: string; domain?: string; attribute?: AttributeMsg[] }
interface DimMsg { dim_value?: Int64Like; dim_param?: string }
interface ValueInfoMsg { name?: string; type?: { tensor_type?: { elem_type?: number; shape?: { dim?: DimMsg[] } } } }
interface GraphMsg { name?: string; node?: NodeMsg[]; initializer?: TensorProtoMessage[]; input?: ValueInfoMsg[]; output?: ValueInfoMsg[] }
interface ModelMsg {
  ir_version?: Int64Like; producer_name?: string; producer_version?: string; doc_string?: string; graph?: GraphMsg;
  opset_import?: { domain?: string; version?: Int64Like }[]; metadata_props?: { key?: string; value?: string }[];
}

const ATTRIBUTE_TYPES: Record<number, AttributeTypeName> = {
  1: 'FLOAT', 2: 'INT', 3: 'STRING', 4: 'TENSOR', 5: 'GRAPH', 6: 'FLOATS', 7: 'INTS', 8: 'STRINGS',
  9: 'TENSORS', 10: 'GRAPHS', 11: 'SPARSE_TENSOR', 12: 'SPARSE_TENSORS', 13: 'TYPE_PROTO', 14: 'TYPE_PROTOS',
};

const has = (msg: object, key: string): boolean => Object.prototype.hasOwnProperty.call(msg, key);

/** IR 1 files carry no AttributeProto.type: infer it from the field that is set. */
function inferAttributeType(a: AttributeMsg): AttributeTypeName | undefined {
  const single: [keyof AttributeMsg, AttributeTypeName][] = [['f', 'FLOAT'], ['i', 'INT'], ['s', 'STRING'], ['t', 'TENSOR'], ['g', 'GRAPH']];
  for (const [key, type] of single) if (has(a, key)) return type;
  const lists: [keyof AttributeMsg, AttributeTypeName][] = [['floats', 'FLOATS'], ['ints', 'INTS'], ['strings', 'STRINGS'], ['tensors', 'TENSORS'], ['graphs', 'GRAPHS']];
  for (const [key, type] of lists) if (((a[key] as unknown[] | undefined) ?? []).length > 0) return type;
  return undefined;
}

/** The AttributeProto field that holds the value of each attribute type (onnx.proto). */
const VALUE_FIELD: Record<AttributeTypeName, keyof AttributeMsg> = {
  FLOAT: 'f', INT: 'i', STRING: 's', TENSOR: 't', GRAPH: 'g', SPARSE_TENSOR: 'sparse_tensor', TYPE_PROTO: 'tp',
  FLOATS: 'floats', INTS: 'ints', STRINGS: 'strings', TENSORS: 'tensors', GRAPHS: 'graphs',
  SPARSE_TENSORS: 'sparse_tensors', TYPE_PROTOS: 'type_protos',
};
const REPEATED = new Set<keyof AttributeMsg>(['floats', 'ints', 'strings', 'tensors', 'graphs', 'sparse_tensors', 'type_protos']);

/** Value fields present in `a`: singular ones that were on the wire, repeated ones with elements. */
function valueFieldsSet(a: AttributeMsg): (keyof AttributeMsg)[] {
  return Object.values(VALUE_FIELD).filter((k) => (REPEATED.has(k) ? ((a[k] as unknown[] | undefined)?.length ?? 0) > 0 : has(a, k)));
}

class Reader {
  private readonly utf8 = new TextDecoder();
  constructor(private readonly ctx: DecodeContext) {}

  attribute(a: AttributeMsg, where: string, outer: ReadonlySet<string>): [AttributeTypeName, AttributeValue] {
    const type = ATTRIBUTE_TYPES[a.type ?? 0] ?? inferAttributeType(a);
    if (!type) throw new ONNXError('E_ONNX_DATA', `${this.ctx.source}: attribute '${a.name}' of ${where} has no value (type ${a.type ?? 'unset'})`);
    // onnx.checker (check_attribute) rejects a value in a field other than the one `type` names
    // ("type field and data field mismatch") and more than one value field, but accepts none at all:
    // proto3-style, an absent value is the type's default (0, '', empty list). Same rules here.
    const set = valueFieldsSet(a);
    const want = VALUE_FIELD[type];
    const wrong = set.filter((k) => k !== want);
    if (wrong.length > 0) {
      throw new ONNXError('E_ONNX_DATA', `${this.ctx.source}: attribute '${a.name}' of ${where} has type ${type} but its value is in field${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')} (type field and data field mismatch)`);
    }
    const present = set.length > 0;
    switch (type) {
      case 'FLOAT': return [type, present ? a.f! : 0];
      case 'INT': return [type, present ? int64ToNumber(a.i!) : 0];
      case 'STRING': return [type, present ? this.utf8.decode(a.s!) : ''];
      case 'TENSOR':
        if (!present) throw new ONNXError('E_ONNX_DATA', `${this.ctx.source}: attribute '${a.name}' of ${where} has type TENSOR but no tensor`);
        return [type, decodeTensorProto(a.t!, this.ctx)];
      case 'GRAPH':
        if (!present) throw new ONNXError('E_ONNX_DATA', `${this.ctx.source}: attribute '${a.name}' of ${where} has type GRAPH but no graph`);
        return [type, this.graph(a.g!, outer)];
      case 'FLOATS': return [type, [...(a.floats ?? [])]];
      case 'INTS': return [type, (a.ints ?? []).map(int64ToNumber)];
      case 'STRINGS': return [type, (a.strings ?? []).map((s) => this.utf8.decode(s))];
      case 'TENSORS': return [type, (a.tensors ?? []).map((t) => decodeTensorProto(t, this.ctx))];
      case 'GRAPHS': return [type, (a.graphs ?? []).map((g) => this.graph(g, outer))];
      default: return [type, null];
    }
  }

  node(n: NodeMsg, index: number, outer: ReadonlySet<string>): ONNXNode {
    const node: ONNXNode = {
      opType: n.op_type ?? '',
      domain: n.domain ?? '',
      name: n.name ?? '',
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attributes: {},
      attributeTypes: {},
    };
    const where = `node ${index} '${node.name || node.outputs[0] || '?'}' (${node.opType})`;
    for (const a of n.attribute ?? []) {
      const name = a.name ?? '';
      if (has(node.attributes, name)) throw new ONNXError('E_ONNX_DATA', `${this.ctx.source}: ${where} has attribute '${name}' twice`);
      const [type, value] = this.attribute(a, where, outer);
      node.attributes[name] = value;
      node.attributeTypes[name] = type;
    }
    return node;
  }

  valueInfo(v: ValueInfoMsg): ONNXValueInfo {
    const tensorType = v.type?.tensor_type;
    const elem = tensorType?.elem_type;
    const dims = tensorType?.shape?.dim;
    return {
      name: v.name ?? '',
      dtype: elem !== undefined ? (DATA_TYPES[elem]?.name ?? null) : null,
      shape: tensorType?.shape ? (dims ?? []).map((d) => (has(d, 'dim_value') ? int64ToNumber(d.dim_value!) : has(d, 'dim_param') ? d.dim_param! : null)) : null,
    };
  }

  graph(g: GraphMsg, outer: ReadonlySet<string>): ONNXGraph {
    const tensors = new Map<string, ReturnType<typeof decodeTensorProto>>();
    const names: string[] = [];
    for (const init of g.initializer ?? []) {
      const t = decodeTensorProto(init, this.ctx);
      if (tensors.has(t.name)) throw new ONNXError('E_ONNX_DATA', `${this.ctx.source}: initializer '${t.name}' appears twice`);
      tensors.set(t.name, t);
      names.push(t.name);
    }
    const inputs = (g.input ?? []).map((v) => this.valueInfo(v));
    // Values visible inside this graph's subgraphs: everything the graph and its parents define.
    const visible = new Set<string>([...outer, ...names, ...inputs.map((v) => v.name)]);
    for (const n of g.node ?? []) for (const out of n.output ?? []) visible.add(out);
    const graph: ONNXGraph = {
      name: g.name ?? '',
      nodes: (g.node ?? []).map((n, i) => this.node(n, i, visible)),
      tensors,
      names,
      inputs,
      outputs: (g.output ?? []).map((v) => this.valueInfo(v)),
    };
    topologicalOrder(graph, this.ctx.source + (graph.name ? ` (graph '${graph.name}')` : ''), outer);
    return graph;
  }
}

/** Options of {@link parseONNX}. */
export interface ParseONNXOptions {
  /** Names the input in error messages (a file path); default `'<bytes>'`. */
  source?: string;
  /** Reads tensors stored outside the model (`data_location = EXTERNAL`); {@link loadONNX} supplies one for files. */
  readExternal?: ExternalDataReader;
}

/**
 * Parses the bytes of an ONNX model (ModelProto, onnx.proto) into an {@link ONNXFile}: initializers
 * decoded to typed arrays (see {@link ONNXTensor}), nodes with decoded attributes, graph inputs and
 * outputs, IR version, producer and opset imports. Works without a file system; tensors stored in
 * external files need `options.readExternal`.
 *
 * The input is checked strictly and never read past its end: wire format first
 * (`E_ONNX_TRUNCATED`, `E_ONNX_WIRE`), then each tensor's data against its dims (`E_ONNX_DATA`,
 * `E_ONNX_DTYPE`), then the graph (`E_ONNX_GRAPH`: value assigned twice, undefined input, cycle).
 * Attributes follow onnx.checker: a value in a field other than the one its `type` names is
 * `E_ONNX_DATA`; a missing value is the type's default (0, '', []), except TENSOR / GRAPH
 * (`E_ONNX_DATA`: no usable default).
 * All errors are {@link ONNXError}s naming `options.source`.
 */
export function parseONNX(bytes: Uint8Array, options: ParseONNXOptions = {}): ONNXFile {
  const source = options.source ?? '<bytes>';
  if (!(bytes instanceof Uint8Array)) throw new ONNXError('E_ONNX_ARG', `parseONNX: expected a Uint8Array, got ${typeof bytes}`);
  checkWireFormat(bytes, 'ModelProto', source);
  let model: ModelMsg;
  try {
    model = onnxDecodeType('ModelProto').decode(bytes) as unknown as ModelMsg;
  } catch (err) {
    // The wire check accepts everything protobufjs reads, so this only guards against a library change.
    throw new ONNXError('E_ONNX_WIRE', `${source}: protobuf decoding failed: ${(err as Error).message}`);
  }
  if (!model.graph) throw new ONNXError('E_ONNX_DATA', `${source}: the model has no graph (is this an ONNX file?)`);
  if (!has(model, 'ir_version')) throw new ONNXError('E_ONNX_DATA', `${source}: the model has no ir_version (is this an ONNX file?)`);
  const irVersion = int64ToNumber(model.ir_version!);
  if (irVersion >= 3 && (model.opset_import ?? []).length === 0) {
    // onnx.proto: "All ModelProtos MUST have at least one entry" in opset_import (since IR 3).
    throw new ONNXError('E_ONNX_DATA', `${source}: IR version ${irVersion} model without opset_import (truncated file?)`);
  }
  const graph = new Reader({ source, readExternal: options.readExternal }).graph(model.graph, new Set());
  return {
    ...graph,
    irVersion,
    producer: { name: model.producer_name ?? '', version: model.producer_version ?? '' },
    opsetImports: (model.opset_import ?? []).map((o) => ({ domain: o.domain ?? '', version: int64ToNumber(o.version ?? 0) })),
    metadata: Object.fromEntries((model.metadata_props ?? []).map((e) => [e.key ?? '', e.value ?? ''])),
    docString: model.doc_string ?? '',
  };
}

/**
 * Parses one serialized TensorProto (the `input_0.pb` / `output_0.pb` files of the ONNX backend
 * test suite) to an {@link ONNXTensor}. Same strictness and errors as {@link parseONNX}.
 */
export function parseTensorProto(bytes: Uint8Array, options: ParseONNXOptions = {}): ReturnType<typeof decodeTensorProto> {
  const source = options.source ?? '<bytes>';
  checkWireFormat(bytes, 'TensorProto', source);
  const msg = onnxDecodeType('TensorProto').decode(bytes) as unknown as TensorProtoMessage;
  return decodeTensorProto(msg, { source, readExternal: options.readExternal });
}
