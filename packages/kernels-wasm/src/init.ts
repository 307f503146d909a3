import { registerBackend, registeredBackends, setBackend } from '@gorch/tensor';
import { WasmBackend } from './backend';
import { WasmKernelError } from './errors';
import { KernelModule } from './kernel_module';
import { registerWasmKernels } from './kernels/index';
import type { WasmLoadOptions } from './loader';
import { simdSupported, threadsSupport } from './simd_support';

/** What the wasm backend can use here, and why a feature is off. */
export interface WasmCapabilities {
  /** True once {@link initWasmBackend} has loaded the module. */
  loaded: boolean;
  /** The SIMD build is in use. */
  simd: boolean;
  /** Why SIMD is on or off. */
  simdReason: string;
  /** Large matrix products run on several threads (worker pool over a shared memory). */
  threads: boolean;
  /** Why threads are on or off. */
  threadsReason: string;
  /** Threads running kernels, the calling thread included (1 when single-threaded). */
  threadCount: number;
  /** Where the module bytes came from. */
  source: string | null;
}

/** Options of {@link initWasmBackend}. */
export interface InitWasmOptions extends WasmLoadOptions {
  /** Make `'wasm'` the active backend after loading (default `true`). */
  setActive?: boolean;
  /** Registry priority; above the JS backend's so `'wasm'` is the default (default 2). */
  priority?: number;
  /**
   * Threads for large matrix products, the calling thread included: a count, `false` (or 1) for
   * single-threaded, or `true` / unset for one per logical CPU (at most 4). Threads need
   * `SharedArrayBuffer` (Node, or a cross-origin-isolated page) and the SIMD build; where either
   * is missing, or the workers cannot start, the kernels run single-threaded and
   * {@link capabilities} says why. Results are bit-identical either way.
   */
  threads?: number | boolean;
  /**
   * Milliseconds (default 10 000) that every kernel worker gets to report ready. Past it the
   * workers are terminated and the kernels run single-threaded, {@link capabilities} saying so;
   * init never waits longer. Must be a positive finite number (`WasmKernelError` `E_WASM_ARG`).
   */
  threadStartTimeoutMs?: number;
}

let loaded: KernelModule | null = null;
let loading: Promise<KernelModule> | null = null;
let lastOptions: InitWasmOptions = {};
let threadsNote = '';

/** Picks the thread count and loads the threaded module, or explains why it stays single-threaded. */
async function loadModule(opts: InitWasmOptions): Promise<KernelModule> {
  const want = opts.threads === false ? 1 : opts.threads === true || opts.threads === undefined ? Math.min(4, await cpuCount()) : Math.floor(opts.threads);
  const t = threadsSupport();
  const single = (why: string): Promise<KernelModule> => {
    threadsNote = why;
    return KernelModule.load(opts);
  };
  if (want <= 1) return single(opts.threads === undefined || opts.threads === true ? 'one logical CPU: single-threaded' : 'threads disabled by the threads option');
  if (!t.available) return single(t.reason);
  if (opts.simd === false || !simdSupported()) return single('threads use the SIMD build, which is off here');
  const given = opts.wasmBytes;
  if (given !== undefined && (ArrayBuffer.isView(given) || given instanceof ArrayBuffer || (given as { threads?: unknown }).threads === undefined)) {
    return single('wasmBytes has no threads build (pass { simd, scalar, threads })');
  }
  try {
    const km = await KernelModule.loadThreaded(opts, want, opts.threadStartTimeoutMs);
    threadsNote = `${want} threads (the caller + ${want - 1} workers) over a shared WebAssembly.Memory`;
    return km;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'E_WASM_THREAD_TIMEOUT') return single(`kernel workers did not start in time, single-threaded: ${(e as Error).message}`);
    return single(`threads build failed, single-threaded: ${(e as Error).message}`);
  }
}

async function cpuCount(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  try {
    const name = 'node:os';
    const os: typeof import('node:os') = await import(/* @vite-ignore */ name);
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  } catch {
    return 1;
  }
}

/**
 * Loads the kernels (SIMD build when `WebAssembly.validate` accepts it, else scalar), registers the
 * `'wasm'` backend and its kernels in @gorch/tensor, and by default makes it active. Idempotent;
 * concurrent calls share one load. Worker threads get `threadStartTimeoutMs` to start, else init
 * continues single-threaded (never hangs). Throws `WasmKernelError` (`E_WASM_LOAD`) when the bytes
 * cannot be found or compiled, `E_WASM_ARG` for a bad `threadStartTimeoutMs`; the JS backend stays
 * active then.
 */
export async function initWasmBackend(opts: InitWasmOptions = {}): Promise<WasmCapabilities> {
  const timeout = opts.threadStartTimeoutMs;
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout))) {
    throw new WasmKernelError('E_WASM_ARG', `initWasmBackend: threadStartTimeoutMs must be a positive finite number of milliseconds, got ${String(timeout)}`);
  }
  if (loaded === null) {
    lastOptions = opts;
    loading ??= loadModule(opts);
    try {
      loaded = await loading;
    } finally {
      loading = null;
    }
    const km = loaded;
    registerWasmKernels();
    registerBackend('wasm', () => new WasmBackend(km), opts.priority ?? 2);
  }
  if (opts.setActive !== false) setBackend('wasm');
  return capabilities();
}

/** The loaded kernel module (for direct pointer-level kernel calls), or `null` before init. */
export function wasmKernelModule(): KernelModule | null {
  return loaded;
}

/**
 * Stops the kernel worker threads (they are `unref`ed, so this is only needed to free them early or
 * in a browser); kernels keep running single-threaded on the same heap. Idempotent.
 */
export function disposeWasmThreads(): void {
  if (loaded?.pool) {
    loaded.pool.dispose();
    loaded.pool = null;
    threadsNote = 'threads disposed by disposeWasmThreads(): single-threaded';
  }
}

/** Reports SIMD and threads support and the reason for each. */
export function capabilities(): WasmCapabilities {
  const canSimd = simdSupported();
  const simd = loaded ? loaded.simd : canSimd && lastOptions.simd !== false;
  const simdReason = !canSimd
    ? 'WebAssembly.validate rejects SIMD: scalar build'
    : simd
      ? 'WebAssembly SIMD validated: SIMD build'
      : 'SIMD disabled by the simd: false option: scalar build';
  const t = threadsSupport();
  const pool = loaded?.pool ?? null;
  return {
    loaded: loaded !== null && registeredBackends().includes('wasm'),
    simd,
    simdReason,
    threads: pool !== null,
    threadsReason: loaded ? threadsNote : t.available ? 'not loaded yet; shared memory is available' : t.reason,
    threadCount: pool ? pool.size : 1,
    source: loaded ? loaded.source : null,
  };
}
