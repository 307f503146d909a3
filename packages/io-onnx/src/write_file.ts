import { ONNXError } from './errors';
import { nodeFs, nodePath } from './node_builtins';

/**
 * Writes `bytes` to `path` atomically: to a temp file in the same folder, then renamed over `path`,
 * so a crash never leaves a partial model. Throws {@link ONNXError} `E_ONNX_ARG` naming the path.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const { renameSync, rmSync, writeFileSync } = nodeFs('ONNX export to a file');
  const { basename, dirname, join } = nodePath('ONNX export to a file');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new ONNXError('E_ONNX_ARG', `cannot write ONNX model to ${path}: ${(err as Error).message}`);
  }
}
