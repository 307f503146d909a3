import { planLayout, type TensorsInput } from './layout.js';

/**
 * Serializes tensors to safetensors bytes in the reference layout (huggingface/safetensors
 * `serialize`): u64 little-endian header size, compact JSON header padded with spaces to a multiple
 * of 8, then tensor data sorted by dtype alignment (descending) then name, each tensor aligned.
 *
 * @param tensors name → `{ dtype?, shape, data }` (typed array or raw bytes, see `TensorInput`).
 * @param metadata optional `__metadata__` string → string map (written in its key order; omitted
 *   when empty, as when the reference gets `None`).
 * @throws SafetensorsError InvalidTensorView / JsonError on bad input.
 */
export function serializeSafetensors(tensors: TensorsInput, metadata?: Record<string, string>): Uint8Array<ArrayBuffer> {
  const { head, chunks, byteLength } = planLayout(tensors, metadata);
  const out = new Uint8Array(byteLength);
  out.set(head, 0);
  let at = head.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
