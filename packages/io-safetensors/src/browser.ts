/**
 * @gorch/io-safetensors — browser entry: the same API as the Node entry without node:fs. Readers
 * take a Blob, bytes, `fetchRangeSource(url)` or any `ByteSource`; file paths and saving throw
 * SafetensorsError `Unsupported` (use `serializeSafetensors` and a download instead).
 */
import { SafetensorsError } from './errors.js';
export * from './core.js';
export { loadSafetensors, openSafetensors, readSafetensorsHeader } from './reader.js';

/** Not available in browsers: throws SafetensorsError `Unsupported`. */
export async function saveSafetensors(path: string | URL): Promise<void> {
  throw new SafetensorsError('Unsupported', `saveSafetensors(${String(path)}) needs Node; use serializeSafetensors`);
}

/** Not available in browsers: throws SafetensorsError `Unsupported`. */
export async function fileSource(path: string | URL): Promise<never> {
  throw new SafetensorsError('Unsupported', `fileSource(${String(path)}) needs Node; use blobSource or fetchRangeSource`);
}
