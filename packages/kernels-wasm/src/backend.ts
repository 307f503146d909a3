import { GorchError, type Backend, type BackendMemory, type DataId, type DType, type Shape, type TypedArray } from '@gorch/tensor';
import { WasmKernelError } from './errors';
import type { KernelModule } from './kernel_module';
import { WeightFormat } from './wasm_exports';

/** How a buffer is laid out in the heap: the tensor dtype, or a half-width encoding of float32 values. */
export type StorageFormat = 'float32' | 'int32' | 'bfloat16' | 'float16';

/** One tensor buffer in the wasm heap (also the `DataId` the engine holds). */
export class WasmData {
  constructor(
    /** Byte offset in the heap (0 for an empty tensor). */
    public ptr: number,
    /** Number of elements. */
    readonly size: number,
    /** Logical dtype of the tensor. */
    readonly dtype: DType,
    /** Encoding in the heap; half formats hold float32 tensors in 2 bytes per element. */
    readonly format: StorageFormat,
    /**
     * For a 2-D tensor [rows, cols]: the heap holds its transpose [cols, rows] contiguously
     * (a Linear weight kept in the layout the 1-row matrix x vector kernel streams fastest).
     */
    readonly transposedOf: readonly [number, number] | null = null,
    /**
     * For a 2-D tensor [rows, cols]: the heap holds it in 8-row panels (src/c/panels.c), the layout
     * the 1-row matrix x vector kernel streams fastest as an nn.Linear weight [out, in].
     */
    readonly panelsOf: readonly [number, number] | null = null,
  ) {}
  /** True when the heap holds the values row-major (no transposed or panel layout). */
  get rowMajor(): boolean {
    return this.transposedOf === null && this.panelsOf === null;
  }
  /** Bytes held in the heap. */
  get bytes(): number {
    return this.size * (this.format === 'bfloat16' || this.format === 'float16' ? 2 : 4);
  }
}

/**
 * The `'wasm'` backend: tensor storage lives in the wasm heap, so kernels get pointers and weights are
 * never copied per op (tfjs-backend-wasm's design). `read` returns a copy, because views of wasm
 * memory are detached whenever the heap grows.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  /** `read` always copies out of the heap, so `Tensor.dataSync()` need not copy again. */
  readonly readReturnsCopy = true;
  private readonly live = new Set<WasmData>();
  private bytes = 0;
  /** Buffers allocated inside each open {@link guarded} call, innermost last. */
  private readonly scopes: WasmData[][] = [];

  constructor(
    /** The instantiated kernels and their heap. */
    readonly km: KernelModule,
  ) {}

  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    const d = withOomContext(() => `a ${dtype} tensor of shape [${shape.join(', ')}]`, () => this.allocate(values.length, dtype));
    if (values.length > 0) {
      const src = dtype === 'int32' && values instanceof Float32Array ? Int32Array.from(values) : values;
      this.km.u8().set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), d.ptr);
    }
    return d;
  }

  /**
   * Uninitialised storage for `size` elements (kernels write their outputs here). Throws
   * `WasmKernelError` `E_WASM_OOM` (and allocates nothing) when the heap cannot hold it.
   */
  allocate(size: number, dtype: DType, format: StorageFormat = dtype, transposedOf: readonly [number, number] | null = null, panelsOf: readonly [number, number] | null = null): WasmData {
    const bytes = size * (format === 'bfloat16' || format === 'float16' ? 2 : 4);
    const d = new WasmData(bytes > 0 ? this.km.malloc(bytes, `${size} ${format} elements`) : 0, size, dtype, format, transposedOf, panelsOf);
    this.live.add(d);
    this.bytes += d.bytes;
    this.scopes[this.scopes.length - 1]?.push(d);
    return d;
  }

  /**
   * Runs `fn` (one kernel call); if it throws, every buffer it allocated is freed, so a kernel that
   * fails half-way (e.g. `E_WASM_OOM` on its second buffer) leaves the heap as it found it.
   */
  guarded<R>(fn: () => R): R {
    const mine: WasmData[] = [];
    this.scopes.push(mine);
    try {
      return fn();
    } catch (e) {
      for (const d of mine) this.disposeData(d);
      throw e;
    } finally {
      this.scopes.pop();
    }
  }

  /** The storage record of `dataId`; throws if it is foreign or disposed. */
  data(dataId: DataId): WasmData {
    if (!(dataId instanceof WasmData) || !this.live.has(dataId)) {
      throw new GorchError('E_DISPOSED', 'wasm backend: access to disposed or foreign data');
    }
    return dataId;
  }

  read(dataId: DataId): TypedArray {
    const d = this.data(dataId);
    if (d.rowMajor && d.format === 'int32') return this.km.readI32(d.ptr, d.size);
    if (d.rowMajor && d.format === 'float32') return this.km.readF32(d.ptr, d.size);
    const tmp = this.materialize(d);
    try {
      return d.dtype === 'int32' ? this.km.readI32(tmp.ptr, d.size) : this.km.readF32(tmp.ptr, d.size);
    } finally {
      this.disposeData(tmp);
    }
  }

  /**
   * A temporary contiguous float32/int32 copy of storage kept half-width, transposed or in panels
   * (the caller disposes it with `disposeData`).
   */
  materialize(d: WasmData): WasmData {
    const out = this.allocate(d.size, d.dtype);
    if (d.size === 0) return out;
    if (d.panelsOf) {
      const fmt = WeightFormat[d.format as 'float32' | 'bfloat16' | 'float16'];
      this.km.exports.gorch_panel_unpack(fmt, d.panelsOf[0], d.panelsOf[1], d.ptr, out.ptr);
      return out;
    }
    let src = d.ptr;
    let widened: WasmData | null = null;
    if (d.format === 'bfloat16' || d.format === 'float16') {
      widened = d.transposedOf ? this.allocate(d.size, 'float32') : out;
      this.km.exports.gorch_widen(WeightFormat[d.format], d.size, d.ptr, widened.ptr);
      src = widened.ptr;
    }
    if (d.transposedOf) {
      const [rows, cols] = d.transposedOf; // storage is [cols, rows]; out[r, c] = storage[c, r]
      const p = this.km.params([rows, cols, 1, rows]);
      this.km.exports.gorch_copy_strided(2, p, src, p + 8, out.ptr);
      if (widened) this.disposeData(widened);
    } else if (!widened) {
      this.km.u8().copyWithin(out.ptr, d.ptr, d.ptr + 4 * d.size);
    }
    return out;
  }

  disposeData(dataId: DataId): void {
    if (!(dataId instanceof WasmData) || !this.live.has(dataId)) return;
    this.live.delete(dataId);
    this.bytes -= dataId.bytes;
    this.km.free(dataId.ptr);
    dataId.ptr = 0;
  }

  numDataIds(): number {
    return this.live.size;
  }

  /** `numBytes` counts live tensor buffers; `heapBytes` is the whole wasm memory (it never shrinks). */
  memory(): BackendMemory & { heapBytes: number } {
    return { numDataIds: this.live.size, numBytes: this.bytes, heapBytes: this.km.heapBytes() };
  }
}

/** Runs `fn`, prefixing an `E_WASM_OOM` error with what was being allocated (a tensor, a kernel's result). */
export function withOomContext<R>(context: () => string, fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WasmKernelError && e.code === 'E_WASM_OOM') throw new WasmKernelError('E_WASM_OOM', `${context()}: ${e.message}`);
    throw e;
  }
}
