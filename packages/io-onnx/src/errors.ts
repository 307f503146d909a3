import { GorchError } from '@gorch/tensor';

/**
 * Codes of {@link ONNXError}:
 * - `E_ONNX_TRUNCATED`: a field or length runs past the end of the buffer (or of its enclosing message).
 * - `E_ONNX_WIRE`: a field has the wrong protobuf wire type, a bad varint, or nesting is too deep.
 * - `E_ONNX_DATA`: an initializer's data does not match its dims / data type.
 * - `E_ONNX_DTYPE`: a data type gorch cannot represent (or an int64 value outside int32).
 * - `E_ONNX_GRAPH`: the graph is malformed (a cycle, an undefined input, a value produced twice).
 * - `E_ONNX_EXTERNAL`: external data is missing, escapes the model's folder, or is out of range.
 * - `E_ONNX_UNSUPPORTED`: a module (export) or node (import) that cannot be translated.
 * - `E_ONNX_ARG`: a bad argument to an io-onnx function.
 */
export type ONNXErrorCode =
  | 'E_ONNX_TRUNCATED'
  | 'E_ONNX_WIRE'
  | 'E_ONNX_DATA'
  | 'E_ONNX_DTYPE'
  | 'E_ONNX_GRAPH'
  | 'E_ONNX_EXTERNAL'
  | 'E_ONNX_UNSUPPORTED'
  | 'E_ONNX_ARG';

/** Every error io-onnx throws on bad input; `code` says what failed, the message names the file / tensor / node. */
export class ONNXError extends GorchError {
  declare readonly code: ONNXErrorCode;
  constructor(code: ONNXErrorCode, message: string) {
    super(code, message);
  }
}

/** Export met a module it cannot translate. `moduleName` is its class name, `index` its position in the Sequential. */
export class UnsupportedModuleError extends ONNXError {
  constructor(
    readonly moduleName: string,
    readonly index: number,
    detail = '',
  ) {
    super('E_ONNX_UNSUPPORTED', `ONNX export: unsupported module ${moduleName} at position ${index}${detail ? `: ${detail}` : ''}`);
  }
}

/** Import met a node it cannot rebuild. `nodeName` is the node's name (or its first output), `opType` its op. */
export class UnsupportedNodeError extends ONNXError {
  constructor(
    readonly nodeName: string,
    readonly opType: string,
    detail: string,
  ) {
    super('E_ONNX_UNSUPPORTED', `ONNX import: cannot rebuild node '${nodeName}' (${opType}): ${detail}`);
  }
}
