import type { Dtype, TensorData } from './dtype.js';
import { parseSafetensorsHeader, type TensorInfo } from './header.js';
import { typedView } from './view.js';

/** A tensor as plain data: dtype, row-major shape, and a typed array of the dtype (see `DTYPES`). */
export interface Tensor {
  dtype: Dtype;
  shape: number[];
  data: TensorData;
}

/** A whole safetensors file, parsed. */
export interface SafetensorsFile {
  /** Tensor name → `{ dtype, shape, data_offsets }`, in file order (null-prototype object). */
  header: Record<string, TensorInfo>;
  /** The `__metadata__` string → string map, `{}` when absent. */
  metadata: Record<string, string>;
  /** Tensor name → `{ dtype, shape, data }`, in file order (null-prototype object). */
  tensors: Record<string, Tensor>;
}

/**
 * Parses a complete safetensors file held in memory.
 *
 * `data` arrays are zero-copy views into `bytes.buffer` wherever the tensor's position is aligned to
 * its element size (always so for files from the reference writer or `serializeSafetensors` when
 * `bytes` starts at an 8-aligned offset); otherwise they are copies. Views alias `bytes`: writing to
 * one writes to the other. F16/BF16 data are raw bits (`Uint16Array`); decode with `toFloat32`.
 *
 * Format: huggingface/safetensors (8-byte little-endian header size N, N bytes of JSON, data).
 * @throws SafetensorsError for any malformed file (see `parseSafetensorsHeader`); nothing is read
 *   outside `bytes`.
 */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  const h = parseSafetensorsHeader(bytes, bytes.length);
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const name of h.names) {
    const { dtype, shape, data_offsets } = h.header[name]!;
    const region = bytes.subarray(h.dataOffset + data_offsets[0], h.dataOffset + data_offsets[1]);
    tensors[name] = { dtype, shape, data: typedView(dtype, region) };
  }
  return { header: h.header, metadata: h.metadata, tensors };
}
