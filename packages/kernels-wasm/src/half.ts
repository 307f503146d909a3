import { engine, getBackendName, GorchError, type Tensor } from '@gorch/tensor';
import { WasmData, type StorageFormat } from './backend';
import { StorageKernel } from './kernels/half';

function requireWasm(op: string): void {
  if (getBackendName() !== 'wasm') throw new GorchError('E_BACKEND', `${op}: the active backend is '${getBackendName()}'; half-width storage needs 'wasm' (await initWasmBackend())`);
}

/**
 * Returns a float32 tensor whose wasm storage holds `format` values (2 bytes each, round to nearest
 * even), e.g. decoder weights: matrix x vector kernels widen them in registers, halving memory
 * traffic. Other kernels widen them to float32 on use. Meant for inference weights: no gradient.
 * Throws `E_BACKEND` unless `'wasm'` is active, `E_DTYPE` for int32 tensors.
 */
export function toHalfStorage(t: Tensor, format: 'bfloat16' | 'float16'): Tensor {
  requireWasm('toHalfStorage');
  return engine.runKernel(StorageKernel.Repack, [t], { format, transposed: false });
}

/**
 * Returns the same float32 values with a chosen storage: `format` (float32, bfloat16, float16) and,
 * for a 2-D tensor, `transposed: true` to keep its transpose in the heap. Use `transposed` for an
 * nn.Linear weight [out, in] (or a tied `wte`) during decoding: the 1-row kernel then streams it in
 * the [in, out] order, measured ~1.7x faster than row dot products on [out, in] for lm_head-sized
 * weights (README). Every other kernel sees ordinary values (they are materialised on use), and the
 * embedding gather reads the transposed table directly. Inference only: no gradient.
 * Throws `E_BACKEND` unless `'wasm'` is active, `E_DTYPE` for int32, `E_SHAPE` for `transposed` on non-2-D.
 */
export function repack(t: Tensor, options: { format?: 'float32' | 'bfloat16' | 'float16'; transposed?: boolean } = {}): Tensor {
  requireWasm('repack');
  return engine.runKernel(StorageKernel.Repack, [t], { format: options.format ?? 'float32', transposed: options.transposed ?? false });
}

/**
 * Wraps raw bfloat16 / float16 bits (e.g. a BF16 tensor of a safetensors checkpoint) as a float32
 * tensor of `shape` without widening them: the checkpoint keeps its size in memory.
 * Throws `E_BACKEND` unless `'wasm'` is active, `E_SHAPE` when `bits.length` ≠ the shape's size.
 */
export function fromHalfBits(bits: Uint16Array, shape: number[], format: 'bfloat16' | 'float16'): Tensor {
  requireWasm('fromHalfBits');
  const n = shape.reduce((p, q) => p * q, 1);
  if (n !== bits.length) throw new GorchError('E_SHAPE', `fromHalfBits: ${bits.length} values for shape ${JSON.stringify(shape)} (${n} elements)`);
  return engine.runKernel(StorageKernel.FromBits, [], { bits, shape: [...shape], format });
}

/** How `t` is stored: `'float32'`, `'int32'`, or a half-width format on the wasm backend. */
export function storageFormat(t: Tensor): StorageFormat {
  return t.dataId instanceof WasmData ? t.dataId.format : t.dtype;
}
