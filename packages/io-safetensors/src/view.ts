import { DTYPES, type Dtype, type TensorData } from './dtype.js';

/** True on little-endian hosts (all mainstream JS engines); safetensors data is little-endian. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The typed array of `dtype` over `bytes` (little-endian file data): a zero-copy view of the same
 * memory when the byte offset is a multiple of the element size, otherwise an aligned copy (typed
 * arrays cannot start at a misaligned offset). Big-endian hosts always get a byte-swapped copy.
 */
export function typedView(dtype: Dtype, bytes: Uint8Array): TensorData {
  const Ctor = DTYPES[dtype].array;
  const size = Ctor.BYTES_PER_ELEMENT;
  const length = bytes.byteLength / size;
  if (size === 1 || (LITTLE_ENDIAN && bytes.byteOffset % size === 0)) return new Ctor(bytes.buffer, bytes.byteOffset, length);
  const copy = new Uint8Array(bytes);
  if (!LITTLE_ENDIAN) swapBytes(copy, size);
  return new Ctor(copy.buffer, 0, length);
}

/** Bytes of a typed array in little-endian file order (the same memory on little-endian hosts). */
export function fileBytes(data: ArrayBufferView): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const size = (data as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  if (LITTLE_ENDIAN || size === 1) return bytes;
  const copy = new Uint8Array(bytes);
  swapBytes(copy, size);
  return copy;
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse();
}
