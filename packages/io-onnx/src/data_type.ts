// ONNX element types (TensorProto.DataType in onnx.proto) and how each is stored.

/** The numeric `TensorProto.DataType` codes of the ONNX spec. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
  FLOAT4E2M1: 23,
} as const;

/** Lower-case name of an ONNX data type (`'float32'` for FLOAT, `'int64'`, `'float16'`, ...). */
export type ONNXDataTypeName =
  | 'float32' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'int64' | 'string' | 'bool'
  | 'float16' | 'float64' | 'uint32' | 'uint64' | 'complex64' | 'complex128' | 'bfloat16'
  | 'float8e4m3fn' | 'float8e4m3fnuz' | 'float8e5m2' | 'float8e5m2fnuz' | 'uint4' | 'int4' | 'float4e2m1';

/**
 * How one data type is stored. `bits` is the size of one element in raw_data; `field` is the typed
 * field that holds it when raw_data is absent (onnx.proto's comments on each field); `lanes` is 2 for
 * complex numbers, whose real and imaginary parts are stored one after the other.
 */
export interface DataTypeInfo {
  name: ONNXDataTypeName;
  bits: number;
  field: 'float_data' | 'int32_data' | 'int64_data' | 'double_data' | 'uint64_data' | 'string_data';
  lanes: 1 | 2;
}

const I32 = 'int32_data';
export const DATA_TYPES: Readonly<Record<number, DataTypeInfo>> = {
  1: { name: 'float32', bits: 32, field: 'float_data', lanes: 1 },
  2: { name: 'uint8', bits: 8, field: I32, lanes: 1 },
  3: { name: 'int8', bits: 8, field: I32, lanes: 1 },
  4: { name: 'uint16', bits: 16, field: I32, lanes: 1 },
  5: { name: 'int16', bits: 16, field: I32, lanes: 1 },
  6: { name: 'int32', bits: 32, field: I32, lanes: 1 },
  7: { name: 'int64', bits: 64, field: 'int64_data', lanes: 1 },
  8: { name: 'string', bits: 0, field: 'string_data', lanes: 1 },
  9: { name: 'bool', bits: 8, field: I32, lanes: 1 },
  10: { name: 'float16', bits: 16, field: I32, lanes: 1 },
  11: { name: 'float64', bits: 64, field: 'double_data', lanes: 1 },
  12: { name: 'uint32', bits: 32, field: 'uint64_data', lanes: 1 },
  13: { name: 'uint64', bits: 64, field: 'uint64_data', lanes: 1 },
  14: { name: 'complex64', bits: 64, field: 'float_data', lanes: 2 },
  15: { name: 'complex128', bits: 128, field: 'double_data', lanes: 2 },
  16: { name: 'bfloat16', bits: 16, field: I32, lanes: 1 },
  17: { name: 'float8e4m3fn', bits: 8, field: I32, lanes: 1 },
  18: { name: 'float8e4m3fnuz', bits: 8, field: I32, lanes: 1 },
  19: { name: 'float8e5m2', bits: 8, field: I32, lanes: 1 },
  20: { name: 'float8e5m2fnuz', bits: 8, field: I32, lanes: 1 },
  21: { name: 'uint4', bits: 4, field: I32, lanes: 1 },
  22: { name: 'int4', bits: 4, field: I32, lanes: 1 },
  23: { name: 'float4e2m1', bits: 4, field: I32, lanes: 1 },
};

/** Typed array that holds decoded data of each type (`Uint16Array` holds float16 / bfloat16 bit patterns). */
export type ONNXTypedArray =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array
  | Uint32Array | BigInt64Array | BigUint64Array;

/**
 * Converts IEEE 754 half-precision bit patterns to float32 (exact: every half is a float), bit for bit
 * as torch's `.float()`: a NaN keeps its sign and payload and gets the quiet bit (0xfc01 -> 0xffc02000).
 */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24;
    else if (exp !== 31) out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
    else if (frac === 0) out[i] = sign * Infinity;
    // a NaN is written as bits (storing the JS value NaN would drop sign and payload): sign, all-ones
    // exponent, quiet bit, payload << 13
    else words[i] = ((h & 0x8000) << 16) | 0x7fc00000 | (frac << 13);
  }
  return out;
}

/** Converts bfloat16 bit patterns (the top 16 bits of a float32) to float32. */
export function bfloat16ToFloat32(bits: Uint16Array): Float32Array {
  const words = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i] << 16;
  return new Float32Array(words.buffer);
}
