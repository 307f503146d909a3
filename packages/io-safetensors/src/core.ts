// The browser-safe API, shared by both entries (no node: imports below this file).
export { SafetensorsError, type SafetensorsErrorCode } from './errors.js';
export { DTYPES, isDtype, type Dtype, type DtypeInfo, type TensorData } from './dtype.js';
export { MAX_HEADER_SIZE, parseSafetensorsHeader, type SafetensorsHeader, type TensorInfo } from './header.js';
export { parseSafetensors, type SafetensorsFile, type Tensor } from './parse.js';
export { serializeSafetensors } from './serialize.js';
export type { TensorInput, TensorsInput } from './layout.js';
export {
  bf16ToF32,
  decodeBf16,
  decodeF16,
  encodeBf16,
  encodeF16,
  f16ToF32,
  f32ToBf16,
  f32ToF16,
  toFloat32,
} from './float16.js';
export { blobSource, bytesSource, fetchRangeSource, type ByteSource, type SourceLike } from './source.js';
export type { ReadOptions, SafetensorsReader } from './reader.js';
export { openShardedSafetensors, parseSafetensorsIndex, type SafetensorsIndex } from './sharded.js';
