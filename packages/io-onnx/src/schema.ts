// The ONNX protobuf schema (onnx/onnx.proto, proto2, IR version 10), written here as a protobufjs
// JSON descriptor. Names and field numbers are the spec's; comments and reserved ranges are left out.
// The ONNX specification is (c) ONNX Project Contributors, Apache-2.0 (see ../README.md, "License").
//
// We do not use the `onnx-proto` npm package: its newest release is ONNX 1.10 (IR 8) and pins
// protobufjs 6, so it lacks the IR 9/10 fields (FLOAT8 types, metadata_props, overloads).
import protobuf from 'protobufjs/light.js';

type FieldJSON = { id: number; type: string; rule?: 'repeated'; options?: { packed: boolean } };

const opt = (id: number, type: string): FieldJSON => ({ id, type });
const rep = (id: number, type: string): FieldJSON => ({ id, type, rule: 'repeated', options: { packed: false } });
const packed = (id: number, type: string): FieldJSON => ({ id, type, rule: 'repeated', options: { packed: true } });

const metadata = (id: number): FieldJSON => rep(id, 'StringStringEntryProto');

/** protobufjs JSON descriptor of package `onnx` (field numbers from onnx.proto). */
export const ONNX_SCHEMA_JSON = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { fields: { key: opt(1, 'string'), value: opt(2, 'string') } },
        OperatorSetIdProto: { fields: { domain: opt(1, 'string'), version: opt(2, 'int64') } },
        AttributeProto: {
          fields: {
            name: opt(1, 'string'),
            ref_attr_name: opt(21, 'string'),
            doc_string: opt(13, 'string'),
            type: opt(20, 'int32'),
            f: opt(2, 'float'),
            i: opt(3, 'int64'),
            s: opt(4, 'bytes'),
            t: opt(5, 'TensorProto'),
            g: opt(6, 'GraphProto'),
            sparse_tensor: opt(22, 'SparseTensorProto'),
            tp: opt(14, 'TypeProto'),
            floats: rep(7, 'float'),
            ints: rep(8, 'int64'),
            strings: rep(9, 'bytes'),
            tensors: rep(10, 'TensorProto'),
            graphs: rep(11, 'GraphProto'),
            sparse_tensors: rep(23, 'SparseTensorProto'),
            type_protos: rep(15, 'TypeProto'),
          },
        },
        ValueInfoProto: {
          fields: { name: opt(1, 'string'), type: opt(2, 'TypeProto'), doc_string: opt(3, 'string'), metadata_props: metadata(4) },
        },
        NodeProto: {
          fields: {
            input: rep(1, 'string'),
            output: rep(2, 'string'),
            name: opt(3, 'string'),
            op_type: opt(4, 'string'),
            domain: opt(7, 'string'),
            overload: opt(8, 'string'),
            attribute: rep(5, 'AttributeProto'),
            doc_string: opt(6, 'string'),
            metadata_props: metadata(9),
          },
        },
        TrainingInfoProto: {
          fields: {
            initialization: opt(1, 'GraphProto'),
            algorithm: opt(2, 'GraphProto'),
            initialization_binding: rep(3, 'StringStringEntryProto'),
            update_binding: rep(4, 'StringStringEntryProto'),
          },
        },
        ModelProto: {
          fields: {
            ir_version: opt(1, 'int64'),
            opset_import: rep(8, 'OperatorSetIdProto'),
            producer_name: opt(2, 'string'),
            producer_version: opt(3, 'string'),
            domain: opt(4, 'string'),
            model_version: opt(5, 'int64'),
            doc_string: opt(6, 'string'),
            graph: opt(7, 'GraphProto'),
            metadata_props: metadata(14),
            training_info: rep(20, 'TrainingInfoProto'),
            functions: rep(25, 'FunctionProto'),
          },
        },
        TensorAnnotation: {
          fields: { tensor_name: opt(1, 'string'), quant_parameter_tensor_names: rep(2, 'StringStringEntryProto') },
        },
        GraphProto: {
          fields: {
            node: rep(1, 'NodeProto'),
            name: opt(2, 'string'),
            initializer: rep(5, 'TensorProto'),
            sparse_initializer: rep(15, 'SparseTensorProto'),
            doc_string: opt(10, 'string'),
            input: rep(11, 'ValueInfoProto'),
            output: rep(12, 'ValueInfoProto'),
            value_info: rep(13, 'ValueInfoProto'),
            quantization_annotation: rep(14, 'TensorAnnotation'),
            metadata_props: metadata(16),
          },
        },
        TensorProto: {
          fields: {
            dims: rep(1, 'int64'),
            data_type: opt(2, 'int32'),
            segment: opt(3, 'Segment'),
            float_data: packed(4, 'float'),
            int32_data: packed(5, 'int32'),
            string_data: rep(6, 'bytes'),
            int64_data: packed(7, 'int64'),
            name: opt(8, 'string'),
            doc_string: opt(12, 'string'),
            raw_data: opt(9, 'bytes'),
            external_data: rep(13, 'StringStringEntryProto'),
            data_location: opt(14, 'int32'),
            double_data: packed(10, 'double'),
            uint64_data: packed(11, 'uint64'),
            metadata_props: metadata(16),
          },
          nested: { Segment: { fields: { begin: opt(1, 'int64'), end: opt(2, 'int64') } } },
        },
        SparseTensorProto: {
          fields: { values: opt(1, 'TensorProto'), indices: opt(2, 'TensorProto'), dims: rep(3, 'int64') },
        },
        TensorShapeProto: {
          fields: { dim: rep(1, 'Dimension') },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: opt(1, 'int64'), dim_param: opt(2, 'string'), denotation: opt(3, 'string') },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type', 'sequence_type', 'map_type', 'optional_type', 'sparse_tensor_type'] } },
          fields: {
            tensor_type: opt(1, 'Tensor'),
            sequence_type: opt(4, 'Sequence'),
            map_type: opt(5, 'Map'),
            optional_type: opt(9, 'Optional'),
            sparse_tensor_type: opt(8, 'SparseTensor'),
            denotation: opt(6, 'string'),
          },
          nested: {
            Tensor: { fields: { elem_type: opt(1, 'int32'), shape: opt(2, 'TensorShapeProto') } },
            Sequence: { fields: { elem_type: opt(1, 'TypeProto') } },
            Map: { fields: { key_type: opt(1, 'int32'), value_type: opt(2, 'TypeProto') } },
            Optional: { fields: { elem_type: opt(1, 'TypeProto') } },
            SparseTensor: { fields: { elem_type: opt(1, 'int32'), shape: opt(2, 'TensorShapeProto') } },
          },
        },
        FunctionProto: {
          fields: {
            name: opt(1, 'string'),
            input: rep(4, 'string'),
            output: rep(5, 'string'),
            attribute: rep(6, 'string'),
            attribute_proto: rep(11, 'AttributeProto'),
            node: rep(7, 'NodeProto'),
            doc_string: opt(8, 'string'),
            opset_import: rep(9, 'OperatorSetIdProto'),
            domain: opt(10, 'string'),
            overload: opt(13, 'string'),
            value_info: rep(12, 'ValueInfoProto'),
            metadata_props: metadata(14),
          },
        },
      },
    },
  },
} as const;

let root: protobuf.Root | undefined;
let decodeRoot: protobuf.Root | undefined;

function resolved(json: object): protobuf.Root {
  const r = protobuf.Root.fromJSON(json as protobuf.INamespace);
  r.resolveAll();
  return r;
}

/** The resolved protobufjs `Root` for {@link ONNX_SCHEMA_JSON} (built once, on first use). */
export function onnxRoot(): protobuf.Root {
  return (root ??= resolved(ONNX_SCHEMA_JSON));
}

/** The protobufjs type for a message of package `onnx`, e.g. `onnxType('ModelProto')`. */
export function onnxType(name: string): protobuf.Type {
  return onnxRoot().lookupType(`onnx.${name}`);
}

/**
 * The type parseONNX decodes `name` with: {@link onnxType}'s schema except that TensorProto.float_data
 * is read as `fixed32`, the same wire encoding (4 little-endian bytes each), so every float arrives as
 * its bit pattern (an unsigned integer). Read as `float`, protobufjs hands back JS numbers, and a
 * signalling NaN (0x7f800001) comes back quiet (0x7fc00001). Only decoding uses it; the schema
 * itself, {@link onnxType} and every encoder keep the spec's `float`.
 */
export function onnxDecodeType(name: string): protobuf.Type {
  if (!decodeRoot) {
    const json = JSON.parse(JSON.stringify(ONNX_SCHEMA_JSON));
    json.nested.onnx.nested.TensorProto.fields.float_data.type = 'fixed32';
    decodeRoot = resolved(json);
  }
  return decodeRoot.lookupType(`onnx.${name}`);
}
