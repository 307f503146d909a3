// loadONNX: read a model file and the external data files next to it (Node only).
import { ONNXError } from './errors';
import { nodeFs, nodePath } from './node_builtins';
import type { ONNXFile } from './onnx_file';
import { parseONNX } from './parse';
import type { ExternalDataReader } from './tensor_data';

/**
 * A reader for external tensor data in folder `baseDir`. A location must be a relative path that
 * stays inside `baseDir` (the ONNX external-data spec); the byte range must lie inside the file.
 * Throws {@link ONNXError} `E_ONNX_EXTERNAL` naming the tensor and the file.
 */
export function externalDataReader(baseDir: string): ExternalDataReader {
  return (location, offset, length, tensorName) => {
    const { closeSync, fstatSync, openSync, readSync } = nodeFs('external data');
    const { isAbsolute, relative, resolve } = nodePath('external data');
    const path = resolve(baseDir, location);
    const rel = relative(resolve(baseDir), path);
    if (isAbsolute(location) || rel.startsWith('..') || isAbsolute(rel)) {
      throw new ONNXError('E_ONNX_EXTERNAL', `tensor '${tensorName}': external data location '${location}' is outside the model's folder ${baseDir}`);
    }
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      throw new ONNXError('E_ONNX_EXTERNAL', `tensor '${tensorName}': cannot open external data file ${path}: ${(err as Error).message}`);
    }
    try {
      const fileSize = fstatSync(fd).size;
      const byteLength = length ?? fileSize - offset;
      if (offset > fileSize || byteLength < 0 || offset + byteLength > fileSize) {
        throw new ONNXError('E_ONNX_EXTERNAL', `tensor '${tensorName}': bytes [${offset}, ${offset + (length ?? 0)}) are outside ${path} (${fileSize} bytes)`);
      }
      const out = new Uint8Array(byteLength);
      let done = 0;
      while (done < byteLength) {
        const n = readSync(fd, out, done, byteLength - done, offset + done);
        if (n === 0) throw new ONNXError('E_ONNX_EXTERNAL', `tensor '${tensorName}': ${path} ended early`);
        done += n;
      }
      return out;
    } finally {
      closeSync(fd);
    }
  };
}

/**
 * Reads and parses the ONNX model at `path` (see {@link parseONNX}); tensors with external data
 * are read from files in the model's folder. Throws {@link ONNXError} `E_ONNX_ARG` when the file
 * cannot be read, and every error of parseONNX naming `path`.
 */
export function loadONNX(path: string): ONNXFile {
  const { readFileSync } = nodeFs('loadONNX');
  const { dirname } = nodePath('loadONNX');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ONNXError('E_ONNX_ARG', `loadONNX: cannot read ${path}: ${(err as Error).message}`);
  }
  return parseONNX(bytes, { source: path, readExternal: externalDataReader(dirname(path)) });
}
