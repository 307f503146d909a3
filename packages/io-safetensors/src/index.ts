/**
 * @gorch/io-safetensors — a strict, streaming safetensors reader and writer (Node entry).
 * The browser build (`browser` export condition) has the same API; there the path-taking
 * functions accept only in-memory / Blob / ranged sources and `saveSafetensors` throws Unsupported.
 */
export * from './core.js';
export { fileSource } from './node/file_source.js';
export {
  loadSafetensors,
  openSafetensors,
  readSafetensorsHeader,
  saveSafetensors,
  type PathOrSource,
  type SaveOptions,
} from './node/files.js';
