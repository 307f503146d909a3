// Decoding of onnx.TensorProto (initializers, Constant values, test-data .pb files) to typed arrays.
import { ONNXError } from './errors';
import { DATA_TYPES, type ONNXDataTypeName, type ONNXTypedArray } from './data_type';
import { int64ToBigInt, int64ToCount, type Int64Like } from './long';

/**
 * One tensor of an ONNX file, decoded to a plain typed array (no gorch Tensor, so this works before
 * or without `@gorch/tensor`).
 *
 * `data` holds `size` elements in row-major order: `Float32Array` (float32), `Float64Array`
 * (float64), `BigInt64Array` (int64), `BigUint64Array` (uint64), `Uint16Array` bit patterns (float16,
 * bfloat16), `Uint8Array` (uint8, bool, float8 types; int4/uint4/float4 as packed nibbles,
 * `ceil(size/2)` bytes), interleaved real/imaginary pairs for complex types (`2 * size` elements),
 * `string[]` for string tensors. When the file's raw_data is suitably aligned `data` is a view of the
 * input bytes (it shares memory with them); otherwise it is a copy.
 */
export interface ONNXTensor {
  /** TensorProto.name (may be empty for a tensor inside an attribute). */
  name: string;
  /** TensorProto.data_type code (1 = FLOAT, 7 = INT64, ...; see `DataType`). */
  dataType: number;
  dtype: ONNXDataTypeName;
  /** TensorProto.dims; `[]` is a scalar. */
  dims: number[];
  /** Number of elements: the product of dims. */
  size: number;
  data: ONNXTypedArray | string[];
}

/** Reads external tensor data: `length` bytes (or to the end of the file when undefined) from `offset` of `location`. */
export type ExternalDataReader = (location: string, offset: number, length: number | undefined, tensorName: string) => Uint8Array;

/**
 * The decoded protobufjs message fields of a TensorProto that this file reads, as
 * `onnxDecodeType('TensorProto')` (schema.ts) decodes them.
 */
export interface TensorProtoMessage {
  name?: string;
  dims?: Int64Like[];
  data_type?: number;
  segment?: unknown;
  raw_data?: Uint8Array;
  /** float32 bit patterns as unsigned integers (read as `fixed32`, so NaN payloads survive). */
  float_data?: number[];
  int32_data?: number[];
  int64_data?: Int64Like[];
  double_data?: number[];
  uint64_data?: Int64Like[];
  string_data?: Uint8Array[];
  data_location?: number;
  external_data?: { key?: string; value?: string }[];
}

function viewAs<T extends ONNXTypedArray>(
  Ctor: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number },
  bytes: Uint8Array,
  count: number,
): T {
  if (bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(bytes.buffer, bytes.byteOffset, count);
  // Unaligned raw_data (the usual case inside a protobuf) cannot back a typed array: copy it
  // (with the Uint8Array constructor: a Node Buffer's slice() would share memory instead).
  const copy = new Uint8Array(bytes);
  return new Ctor(copy.buffer, 0, count);
}

function fromRaw(dtype: ONNXDataTypeName, raw: Uint8Array, count: number): ONNXTypedArray {
  switch (dtype) {
    case 'float32': return viewAs(Float32Array, raw, count);
    case 'complex64': return viewAs(Float32Array, raw, count * 2);
    case 'float64': return viewAs(Float64Array, raw, count);
    case 'complex128': return viewAs(Float64Array, raw, count * 2);
    case 'int8': return viewAs(Int8Array, raw, count);
    case 'int16': return viewAs(Int16Array, raw, count);
    case 'uint16': case 'float16': case 'bfloat16': return viewAs(Uint16Array, raw, count);
    case 'int32': return viewAs(Int32Array, raw, count);
    case 'uint32': return viewAs(Uint32Array, raw, count);
    case 'int64': return viewAs(BigInt64Array, raw, count);
    case 'uint64': return viewAs(BigUint64Array, raw, count);
    default: return raw; // one byte per element, or packed nibbles
  }
}

function fromInt32Field(dtype: ONNXDataTypeName, values: number[]): ONNXTypedArray {
  switch (dtype) {
    case 'int8': return Int8Array.from(values);
    case 'int16': return Int16Array.from(values);
    case 'uint16': case 'float16': case 'bfloat16': return Uint16Array.from(values);
    case 'int32': return Int32Array.from(values);
    default: return Uint8Array.from(values);
  }
}

function rawByteLength(bits: number, count: number): number {
  return Math.ceil((bits * count) / 8);
}

function hasData(field: unknown[] | undefined): boolean {
  return field !== undefined && field.length > 0;
}

/** Context for decoding: where the tensor lives (for messages) and how to read external data. */
export interface DecodeContext {
  source: string;
  readExternal?: ExternalDataReader;
}

function readExternalData(msg: TensorProtoMessage, name: string, ctx: DecodeContext): Uint8Array {
  const entries = new Map((msg.external_data ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = entries.get('location');
  if (!location) throw new ONNXError('E_ONNX_EXTERNAL', `${ctx.source}: tensor '${name}' has external data without a location`);
  const parseCount = (key: string): number | undefined => {
    const text = entries.get(key);
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw new ONNXError('E_ONNX_EXTERNAL', `${ctx.source}: tensor '${name}' has external ${key} '${text}', not a byte count`);
    }
    return Number(text);
  };
  const offset = parseCount('offset') ?? 0;
  const length = parseCount('length');
  if (!ctx.readExternal) {
    throw new ONNXError('E_ONNX_EXTERNAL', `${ctx.source}: tensor '${name}' is stored in external file '${location}' and no external data reader was given (use loadONNX, or pass readExternal)`);
  }
  return ctx.readExternal(location, offset, length, name);
}

/**
 * Decodes one TensorProto to an {@link ONNXTensor}, from raw_data (little-endian, as the spec
 * stores it), the typed field for its data type, or external data.
 *
 * Throws {@link ONNXError}: `E_ONNX_DATA` when dims are not sizes, when the data length does not
 * match the product of dims, or when data is missing; `E_ONNX_DTYPE` for an unknown data type;
 * `E_ONNX_UNSUPPORTED` for segmented tensors; `E_ONNX_EXTERNAL` when external data cannot be read.
 */
export function decodeTensorProto(msg: TensorProtoMessage, ctx: DecodeContext): ONNXTensor {
  const name = msg.name ?? '';
  const label = `${ctx.source}: tensor '${name}'`;
  const dataType = msg.data_type ?? 0;
  const info = DATA_TYPES[dataType];
  if (!info) throw new ONNXError('E_ONNX_DTYPE', `${label} has unknown data_type ${dataType}`);
  if (msg.segment) throw new ONNXError('E_ONNX_UNSUPPORTED', `${label} is segmented (TensorProto.segment), which io-onnx does not read`);
  const dims = (msg.dims ?? []).map((d, i) => int64ToCount(d, `${label} dims[${i}]`));
  let size = 1;
  for (const d of dims) size *= d;
  if (!Number.isSafeInteger(size)) throw new ONNXError('E_ONNX_DATA', `${label} has dims [${dims}] whose product is too large`);
  const tensor = (data: ONNXTensor['data']): ONNXTensor => ({ name, dataType, dtype: info.name, dims, size, data });

  const external = msg.data_location === 1;
  const raw = external ? readExternalData(msg, name, ctx) : msg.raw_data;
  const typed = msg[info.field] as unknown[] | undefined;
  if (raw !== undefined && (external || raw.length > 0 || !hasData(typed))) {
    if (info.name === 'string') throw new ONNXError('E_ONNX_DATA', `${label}: string tensors cannot use raw_data`);
    if (hasData(typed)) throw new ONNXError('E_ONNX_DATA', `${label} has both raw_data and ${info.field}`);
    const expected = rawByteLength(info.bits, size);
    if (raw.length !== expected) {
      throw new ONNXError('E_ONNX_DATA', `${label} (${info.name}, dims [${dims}]) needs ${expected} bytes of data, found ${raw.length}`);
    }
    return tensor(fromRaw(info.name, raw, size));
  }

  const values = typed ?? [];
  const expected = info.bits === 4 ? Math.ceil(size / 2) : size * info.lanes;
  if (values.length !== expected) {
    throw new ONNXError('E_ONNX_DATA', `${label} (${info.name}, dims [${dims}]) needs ${expected} values in ${info.field}, found ${values.length}`);
  }
  switch (info.field) {
    case 'float_data': return tensor(new Float32Array(Uint32Array.from(values as number[]).buffer)); // the words' bits, as raw_data
    case 'double_data': return tensor(Float64Array.from(values as number[]));
    case 'int64_data': return tensor(BigInt64Array.from(values as Int64Like[], (v) => int64ToBigInt(v)));
    case 'uint64_data':
      if (info.name === 'uint32') return tensor(Uint32Array.from(values as Int64Like[], (v) => Number(int64ToBigInt(v, true) & 0xffffffffn)));
      return tensor(BigUint64Array.from(values as Int64Like[], (v) => int64ToBigInt(v, true)));
    case 'string_data': {
      const decoder = new TextDecoder();
      return tensor((values as Uint8Array[]).map((b) => decoder.decode(b)));
    }
    default: return tensor(fromInt32Field(info.name, values as number[]));
  }
}
