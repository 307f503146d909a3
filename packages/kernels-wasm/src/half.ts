import { engine, getBackendName, GorchError, Tensor } from '@gorch/tensor';
import { WasmData, type StorageFormat } from './backend';
import { StorageKernel } from './kernels/half';

/** A short description of a bad argument for an error message. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? (v as object).constructor?.name ?? 'an object' : `${typeof v} ${String(v)}`;
}

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
  return engine.runKernel(StorageKernel.Repack, [t], { format, layout: 'rows' });
}

/** Heap layouts of a 2-D tensor's storage (see {@link repack}). */
export type StorageLayout = 'rows' | 'transposed' | 'panels';

/**
 * Returns the same float32 values with a chosen storage: `format` (float32, bfloat16, float16) and,
 * for a 2-D tensor [rows, cols], a heap `layout`:
 * - `'rows'` (default): row-major, as every kernel reads it.
 * - `'panels'`: the decoding layout of an nn.Linear weight [out, in] or of a tied `wte` used as
 *   lm_head: rows grouped 8 at a time and interleaved in 16-byte chunks (src/c/panels.c), so the
 *   1-row Linear reads the matrix as one forward stream; 1.2-1.6x faster than row-major from DRAM
 *   on GPT-2-small's shapes (README). A 1-row product gives the same bits as on row-major storage.
 * - `'transposed'`: the heap holds the transpose [cols, rows] (the axpy-form kernel streams it).
 * `transposed: true` is the older spelling of `layout: 'transposed'`. Every other kernel sees
 * ordinary values (they are materialised on use), except that a Linear reads panels in place
 * (more than 8 rows: the gemm packs straight from them) and the embedding gather reads panel and
 * transposed tables in place.
 * Inference only: no gradient.
 * Throws `E_BACKEND` unless `'wasm'` is active, `E_DTYPE` for int32, `E_SHAPE` for a non-`'rows'`
 * layout of a tensor that is not 2-D, `E_ARG` for a non-tensor, an unknown `format` or `layout`,
 * a non-boolean `transposed` or one that contradicts `layout`.
 */
export function repack(
  t: Tensor,
  options: { format?: 'float32' | 'bfloat16' | 'float16'; layout?: StorageLayout; transposed?: boolean } = {},
): Tensor {
  requireWasm('repack');
  if (!(t instanceof Tensor)) throw new GorchError('E_ARG', `repack: expected a Tensor, got ${describe(t)}`);
  if (options === null || typeof options !== 'object') throw new GorchError('E_ARG', `repack: options must be an object, got ${describe(options)}`);
  const format = options.format ?? 'float32';
  if (format !== 'float32' && format !== 'bfloat16' && format !== 'float16') {
    throw new GorchError('E_ARG', `repack: format must be 'float32', 'bfloat16' or 'float16', got ${JSON.stringify(format)}`);
  }
  if (options.transposed !== undefined && typeof options.transposed !== 'boolean') {
    throw new GorchError('E_ARG', `repack: transposed must be a boolean, got ${describe(options.transposed)}`);
  }
  const layout = options.layout ?? (options.transposed ? 'transposed' : 'rows');
  if (layout !== 'rows' && layout !== 'transposed' && layout !== 'panels') {
    throw new GorchError('E_ARG', `repack: layout must be 'rows', 'transposed' or 'panels', got ${JSON.stringify(layout)}`);
  }
  if (options.transposed !== undefined && options.layout !== undefined && options.transposed !== (layout === 'transposed')) {
    throw new GorchError('E_ARG', `repack: transposed: ${options.transposed} contradicts layout: '${layout}'`);
  }
  return engine.runKernel(StorageKernel.Repack, [t], { format, layout });
}

/** The heap layout of `t`'s storage: `'rows'` except after {@link repack} on the wasm backend. */
export function storageLayout(t: Tensor): StorageLayout {
  if (!(t.dataId instanceof WasmData)) return 'rows';
  return t.dataId.panelsOf !== null ? 'panels' : t.dataId.transposedOf !== null ? 'transposed' : 'rows';
}

/**
 * Wraps raw bfloat16 / float16 bits (e.g. a BF16 tensor of a safetensors checkpoint) as a float32
 * tensor of `shape` without widening them: the checkpoint keeps its size in memory.
 * Throws `E_BACKEND` unless `'wasm'` is active, `E_ARG` unless `bits` is a Uint16Array and `format` a
 * half format, `E_SHAPE` for a shape that is not non-negative integers or whose size ≠ `bits.length`.
 */
export function fromHalfBits(bits: Uint16Array, shape: number[], format: 'bfloat16' | 'float16'): Tensor {
  requireWasm('fromHalfBits');
  // the kernel copies bits.byteLength bytes into a 2-byte-per-element block: anything but a
  // Uint16Array would write past it
  if (!(bits instanceof Uint16Array)) throw new GorchError('E_ARG', `fromHalfBits: bits must be a Uint16Array, got ${describe(bits)}`);
  if (format !== 'bfloat16' && format !== 'float16') throw new GorchError('E_ARG', `fromHalfBits: format must be 'bfloat16' or 'float16', got ${JSON.stringify(format)}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new GorchError('E_SHAPE', `fromHalfBits: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const n = shape.reduce((p, q) => p * q, 1);
  if (n !== bits.length) throw new GorchError('E_SHAPE', `fromHalfBits: ${bits.length} values for shape ${JSON.stringify(shape)} (${n} elements)`);
  return engine.runKernel(StorageKernel.FromBits, [], { bits, shape: [...shape], format });
}

/** How `t` is stored: `'float32'`, `'int32'`, or a half-width format on the wasm backend. */
export function storageFormat(t: Tensor): StorageFormat {
  return t.dataId instanceof WasmData ? t.dataId.format : t.dtype;
}
