// File-system access without a static `import 'node:fs'`, so bundling @gorch/io-onnx for a browser
// needs no shims: only loadONNX / export*ToONNX(path) touch the file system, and only when called.
import type * as Fs from 'node:fs';
import type * as Path from 'node:path';
import { ONNXError } from './errors';

type GetBuiltin = (id: string) => unknown;

function builtin<T>(id: string, caller: string): T {
  const get = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process?.getBuiltinModule;
  if (typeof get !== 'function') {
    throw new ONNXError('E_ONNX_ARG', `${caller} needs Node.js >= 20.16 (process.getBuiltinModule); in a browser use parseONNX / *ToONNXBytes`);
  }
  return get(id) as T;
}

/** `node:fs`, or {@link ONNXError} `E_ONNX_ARG` outside Node.js. */
export const nodeFs = (caller: string): typeof Fs => builtin<typeof Fs>('node:fs', caller);
/** `node:path`, or {@link ONNXError} `E_ONNX_ARG` outside Node.js. */
export const nodePath = (caller: string): typeof Path => builtin<typeof Path>('node:path', caller);
