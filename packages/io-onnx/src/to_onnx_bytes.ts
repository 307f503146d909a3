import { GPT, Linear, Sequential } from '@gorch/nn';
import { ONNXError } from './errors';
import { gptToONNXBytes } from './export_gpt';
import { linearToONNXBytes, sequentialToONNXBytes } from './export_sequential';

/**
 * ONNX bytes of a model, for environments without a file system: a {@link GPT} (no shape needed),
 * a {@link Linear} (`inputShape` = `[batch, inFeatures]`, default batch 1), or a {@link Sequential}
 * (`inputShape` required, batch first). The batch dimension is symbolic in every case. Throws
 * {@link ONNXError} `E_ONNX_ARG` for another module or a missing shape, and whatever the specific
 * exporter throws.
 */
export function toONNXBytes(model: GPT | Linear | Sequential, inputShape?: readonly number[]): Uint8Array {
  if (model instanceof GPT) return gptToONNXBytes(model);
  if (model instanceof Linear) return linearToONNXBytes(model, inputShape?.[0] ?? 1);
  if (model instanceof Sequential) {
    if (!inputShape) throw new ONNXError('E_ONNX_ARG', 'toONNXBytes: a Sequential needs an example inputShape (batch first)');
    return sequentialToONNXBytes(model, inputShape);
  }
  throw new ONNXError('E_ONNX_ARG', `toONNXBytes: expected a GPT, Linear or Sequential, got ${(model as object)?.constructor?.name ?? typeof model}`);
}
