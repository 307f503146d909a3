/**
 * The safetensors dtypes, their sizes and the typed array each one is read into.
 *
 * Source: the `Dtype` enum of huggingface/safetensors (`safetensors/src/tensor.rs`), whose
 * declaration order is increasing alignment; the writer sorts tensors by that order, descending.
 */

/** A dtype name exactly as it appears in a safetensors header. */
export type Dtype =
  | 'BOOL'
  | 'F4'
  | 'F6_E2M3'
  | 'F6_E3M2'
  | 'U8'
  | 'I8'
  | 'F8_E5M2'
  | 'F8_E4M3'
  | 'F8_E8M0'
  | 'F8_E4M3FNUZ'
  | 'F8_E5M2FNUZ'
  | 'I16'
  | 'U16'
  | 'F16'
  | 'BF16'
  | 'I32'
  | 'U32'
  | 'F32'
  | 'C64'
  | 'F64'
  | 'I64'
  | 'U64';

/** The typed array a tensor's `data` is: one per dtype, see {@link DTYPES}. */
export type TensorData =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array
  | BigUint64Array;

type ArrayCtor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData;
  new (length: number): TensorData;
  readonly BYTES_PER_ELEMENT: number;
};

/** Facts about one dtype. */
export interface DtypeInfo {
  /** Bits per element (4 and 6 for the packed sub-byte floats). */
  readonly bits: number;
  /** Position in the reference enum (increasing alignment); the writer sorts by it, descending. */
  readonly rank: number;
  /**
   * Typed array the data is read into. F16 and BF16 are their raw bits in a `Uint16Array`
   * (decode with `toFloat32`); BOOL, FP8 and sub-byte floats are raw bytes in a `Uint8Array`;
   * C64 is interleaved (real, imaginary) float32 pairs.
   */
  readonly array: ArrayCtor;
}

const table: [Dtype, number, ArrayCtor][] = [
  ['BOOL', 8, Uint8Array],
  ['F4', 4, Uint8Array],
  ['F6_E2M3', 6, Uint8Array],
  ['F6_E3M2', 6, Uint8Array],
  ['U8', 8, Uint8Array],
  ['I8', 8, Int8Array],
  ['F8_E5M2', 8, Uint8Array],
  ['F8_E4M3', 8, Uint8Array],
  ['F8_E8M0', 8, Uint8Array],
  ['F8_E4M3FNUZ', 8, Uint8Array],
  ['F8_E5M2FNUZ', 8, Uint8Array],
  ['I16', 16, Int16Array],
  ['U16', 16, Uint16Array],
  ['F16', 16, Uint16Array],
  ['BF16', 16, Uint16Array],
  ['I32', 32, Int32Array],
  ['U32', 32, Uint32Array],
  ['F32', 32, Float32Array],
  ['C64', 64, Float32Array],
  ['F64', 64, Float64Array],
  ['I64', 64, BigInt64Array],
  ['U64', 64, BigUint64Array],
];

/** Every dtype this package reads and writes, keyed by its header name. */
export const DTYPES: Readonly<Record<Dtype, DtypeInfo>> = Object.freeze(
  Object.fromEntries(table.map(([name, bits, array], rank) => [name, Object.freeze({ bits, rank, array })])) as Record<
    Dtype,
    DtypeInfo
  >,
);

/** True when `name` is a dtype of {@link DTYPES} (own key, so `'__proto__'` is not one). */
export function isDtype(name: unknown): name is Dtype {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, name);
}

/** The dtype a typed array is written as when the caller gives none (Uint16Array is U16). */
export function dtypeOfArray(data: ArrayBufferView): Dtype | undefined {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Uint32Array) return 'U32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Uint16Array) return 'U16';
  if (data instanceof Int8Array) return 'I8';
  if (data instanceof Uint8Array) return 'U8';
  if (data instanceof BigInt64Array) return 'I64';
  if (data instanceof BigUint64Array) return 'U64';
  return undefined;
}
