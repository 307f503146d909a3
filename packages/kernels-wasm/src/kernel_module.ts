import { WasmKernelError } from './errors';
import { compileKernelModule, type WasmLoadOptions } from './loader';
import { ThreadPool } from './thread_pool';
import type { KernelExports } from './wasm_exports';

/**
 * Largest wasm32 heap: addresses are 32-bit and build.sh declares `-sMAXIMUM_MEMORY=4294967296`
 * (65536 pages of 64 KiB), so no heap, and no single allocation, reaches 4 GiB.
 */
export const WASM32_MAX_HEAP_BYTES = 2 ** 32;

/**
 * One instantiated kernel module and its heap. Typed-array views of wasm memory are detached when
 * the memory grows, so views are never cached by callers: `f32()` etc. return a view of the current
 * buffer, re-created only after a growth.
 */
export class KernelModule {
  /** Raw C exports (pointers are byte offsets). */
  readonly exports: KernelExports;
  /** True for the SIMD build. */
  readonly simd: boolean;
  /** Where the bytes came from (URL, path or `wasmBytes`). */
  readonly source: string;
  private buffer: ArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);
  private u16View = new Uint16Array(0);
  private u8View = new Uint8Array(0);
  private paramPtr = 0;
  /** The largest request that can possibly succeed: the heap limit minus everything below the first block. */
  private maxAllocBytes = 0;
  /** Worker threads sharing this module's memory (threads build only; `null` when single-threaded). */
  pool: ThreadPool | null = null;

  private constructor(exports: KernelExports, simd: boolean, source: string) {
    this.exports = exports;
    this.simd = simd;
    this.source = source;
    exports._initialize();
    this.maxAllocBytes = WASM32_MAX_HEAP_BYTES;
    this.paramPtr = this.malloc(256);
    // The first block sits just above the static data and stack, so nothing larger can ever fit.
    this.maxAllocBytes = WASM32_MAX_HEAP_BYTES - this.paramPtr;
  }

  /**
   * Compiles and instantiates the kernels (see {@link WasmLoadOptions} for where the bytes come from).
   * Throws `E_WASM_LOAD` naming the source when they cannot be read, compiled, checked or instantiated.
   */
  static async load(opts: WasmLoadOptions = {}): Promise<KernelModule> {
    const { module, simd, source } = await compileKernelModule(opts);
    // The only import: Emscripten tells us the memory grew; views refresh lazily on buffer identity.
    return KernelModule.instantiate(module, { emscripten_notify_memory_growth: () => undefined }, simd, source, null);
  }

  /** Instantiates and initialises `module`; whatever the engine throws becomes `E_WASM_LOAD` naming `source`. */
  private static async instantiate(module: WebAssembly.Module, env: Record<string, unknown>, simd: boolean, source: string, memory: WebAssembly.Memory | null): Promise<KernelModule> {
    try {
      const instance = await WebAssembly.instantiate(module, { env } as WebAssembly.Imports);
      const exports = instance.exports as unknown as KernelExports;
      return new KernelModule(memory ? { ...exports, memory } : exports, simd, source);
    } catch (e) {
      if (e instanceof WasmKernelError) throw e;
      throw new WasmKernelError('E_WASM_LOAD', `instantiating the kernels from ${source} failed: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Loads the threads build (SIMD over an imported shared memory) and starts `threads - 1` persistent
   * workers on it; kernels then split large products between them and the calling thread. Throws
   * `E_WASM_LOAD` when the build cannot be compiled or the workers cannot start, and
   * `E_WASM_THREAD_TIMEOUT` when they do not all report ready within `startTimeoutMs` (default
   * 10 s; the workers are terminated then).
   */
  static async loadThreaded(opts: WasmLoadOptions, threads: number, startTimeoutMs?: number): Promise<KernelModule> {
    const { module, simd, source } = await compileKernelModule(opts, 'threads');
    // Limits as declared by build.sh (INITIAL_MEMORY 16 MiB, MAXIMUM_MEMORY 4 GiB, in 64 KiB pages).
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: 256, maximum: WASM32_MAX_HEAP_BYTES / 65536, shared: true });
    } catch (e) {
      throw new WasmKernelError('E_WASM_LOAD', `cannot create a shared WebAssembly.Memory: ${(e as Error).message}`);
    }
    const km = await KernelModule.instantiate(module, { memory, emscripten_notify_memory_growth: () => undefined }, simd, source, memory);
    if (threads > 1) km.pool = await ThreadPool.start(km, module, memory, threads - 1, startTimeoutMs);
    return km;
  }

  private refresh(): void {
    const buf = this.exports.memory.buffer;
    // Identity catches a grown non-shared memory (the old buffer is detached); the length check a
    // shared one, whose earlier SharedArrayBuffer objects keep their old, shorter length.
    if (buf !== this.buffer || buf.byteLength !== this.u8View.byteLength) {
      this.buffer = buf;
      this.f32View = new Float32Array(buf);
      this.i32View = new Int32Array(buf);
      this.u16View = new Uint16Array(buf);
      this.u8View = new Uint8Array(buf);
    }
  }
  /** Float32 view of the whole heap (valid until the next allocation). */
  f32(): Float32Array { this.refresh(); return this.f32View; }
  /** Int32 view of the whole heap (valid until the next allocation). */
  i32(): Int32Array { this.refresh(); return this.i32View; }
  /** Uint16 view of the whole heap (valid until the next allocation). */
  u16(): Uint16Array { this.refresh(); return this.u16View; }
  /** Byte view of the whole heap (valid until the next allocation). */
  u8(): Uint8Array { this.refresh(); return this.u8View; }

  /** Current heap size in bytes. */
  heapBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /**
   * Allocates `bytes` (16-byte aligned) and returns the pointer as an unsigned byte offset (wasm
   * returns i32, so a block above 2 GiB would otherwise come back negative). `what` names the
   * allocation in errors. Throws `E_WASM_OOM` when the request exceeds the wasm32 heap limit or the
   * heap cannot grow (nothing is allocated then), `E_WASM_ARG` for a negative or non-integer count.
   */
  malloc(bytes: number, what = 'a block'): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new WasmKernelError('E_WASM_ARG', `wasm malloc: byte count for ${what} must be a non-negative integer, got ${bytes}`);
    // Checked here in float64: C's size_t is 32-bit, so a larger count would reach malloc wrapped
    // (2^32 + 4096 -> 4096) and the kernel would then write far past the block it got.
    if (bytes > this.maxAllocBytes) throw this.oom(bytes, what, `the wasm32 heap is limited to ${WASM32_MAX_HEAP_BYTES} bytes`);
    const p = this.exports.gorch_malloc(bytes) >>> 0;
    if (p === 0) throw this.oom(bytes, what, 'the heap cannot grow that far');
    return p;
  }

  private oom(bytes: number, what: string, why: string): WasmKernelError {
    return new WasmKernelError('E_WASM_OOM', `wasm heap out of memory allocating ${what} (${bytes} bytes): ${why} (heap is now ${this.heapBytes()} bytes)`);
  }

  /** Frees a pointer from {@link malloc} (0 is ignored). */
  free(ptr: number): void {
    if (ptr !== 0) this.exports.gorch_free(ptr);
  }

  /** Copies `values` into a fresh allocation and returns its pointer. */
  alloc(values: Float32Array | Int32Array | Uint16Array): number {
    const p = this.malloc(values.byteLength);
    this.u8().set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), p);
    return p;
  }

  /**
   * Copy of `n` float32 values at `ptr` (bit for bit, NaN payloads included). Copied with the
   * typed-array constructor rather than `slice`: for 4 MB on Node 20 (interleaved, medians) 0.51 vs
   * 0.95 ms from a plain heap, 0.87 vs 1.02 ms from the threads build's shared one.
   */
  readF32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.f32().subarray(ptr >>> 2, (ptr >>> 2) + n));
  }

  /** Copy of `n` int32 values at `ptr` (as {@link readF32}). */
  readI32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.i32().subarray(ptr >>> 2, (ptr >>> 2) + n));
  }

  /**
   * Writes up to 64 int32 parameters to a reserved scratch block and returns its pointer (shapes and
   * strides for kernels that take arrays). Valid until the next call.
   */
  params(values: readonly number[]): number {
    if (values.length > 64) throw new WasmKernelError('E_WASM_ARG', `too many kernel parameters (${values.length} > 64)`);
    this.i32().set(values, this.paramPtr >>> 2);
    return this.paramPtr;
  }
}
