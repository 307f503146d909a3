import { registerBackend, registeredBackends, setBackend } from '@gorch/tensor';
import { WasmBackend } from './backend';
import { WasmKernelError } from './errors';
import { KernelModule } from './kernel_module';
import { registerWasmKernels } from './kernels/index';
import { checkLoadOptions, describeValue, isBufferSource, type WasmLoadOptions } from './loader';
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
   * Threads for large matrix products, the calling thread included: an integer from 1 to
   * {@link MAX_WASM_THREADS} (64), `false` (or 1) for single-threaded, or `true` / unset / `null`
   * for one per logical CPU (at most 4). Anything else is `E_WASM_ARG`. A count above the logical
   * CPU count is honoured (threadsReason notes it) but only adds contention. Threads need
   * `SharedArrayBuffer` (Node, or a cross-origin-isolated page) and the SIMD build; where either
   * is missing, the threads bytes are not the threads build, or the workers cannot start, the
   * kernels run single-threaded and {@link capabilities} says why. Results are bit-identical either way.
   */
  threads?: number | boolean | null;
  /**
   * Milliseconds (default 10 000) that every kernel worker gets to report ready. Past it the
   * workers are terminated and the kernels run single-threaded, {@link capabilities} saying so;
   * init never waits longer. Must be a positive finite number (`WasmKernelError` `E_WASM_ARG`);
   * `null` means unset.
   */
  threadStartTimeoutMs?: number | null;
}

/**
 * Largest `threads` count accepted. Each worker is a separate JS isolate (about 8 MiB of process
 * memory in Node 20 here) with its own 256 KiB stack and 2.2 MiB gemm workspace in the shared wasm32
 * heap, and the pool splits a product into column chunks of at least 8, so counts past the CPUs
 * only add start-up time (64 workers took 4.3 s to start on 2 vCPUs, against the 10 s default
 * timeout) and memory (600 MiB RSS). 64 is 16 times the default's at most 4 and above the CPU
 * count of nearly every machine that runs wasm, so a larger count is taken as a mistake (`E_WASM_ARG`)
 * rather than clamped: `threads: 1000` used to start 999 workers and wait out the timeout.
 */
export const MAX_WASM_THREADS = 64;

/**
 * One module per process: a later {@link initWasmBackend} call may repeat the first call's load
 * options (or omit them) but not change them, since they could not take effect. Throws `E_WASM_ARG`
 * naming the option (tfjs-backend-wasm likewise refuses `setWasmPaths` after its backend started).
 */
const shown = (v: unknown): string => (v == null ? 'unset' : typeof v === 'object' ? describeValue(v) : JSON.stringify(v));

function checkSameLoad(opts: InitWasmOptions): void {
  for (const key of ['simd', 'threads', 'wasmBytes', 'wasmPaths'] as const) {
    const now = opts[key], first = lastOptions[key];
    // unset simd / threads mean true (the defaults), so `true` repeats an unset first call
    const same = now === first || (now === true && first == null && (key === 'simd' || key === 'threads'));
    if (now == null || same) continue;
    throw new WasmKernelError(
      'E_WASM_ARG',
      `initWasmBackend: the kernels are already ${loaded ? 'loaded' : 'loading'} with ${key}: ${shown(first)}, so ${key}: ${shown(now)} cannot take effect (one module per process); pass load options to the first call only`,
    );
  }
}

/** Throws `E_WASM_ARG` naming the option unless `threads` and `threadStartTimeoutMs` are usable. */
function checkThreadOptions(opts: InitWasmOptions): void {
  const t = opts.threads;
  if (t != null && typeof t !== 'boolean' && !(typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= MAX_WASM_THREADS)) {
    const why = typeof t === 'number' && Number.isInteger(t) && t > MAX_WASM_THREADS ? ` (${t} is above the maximum of ${MAX_WASM_THREADS}: workers past the CPU count only cost memory and start-up time)` : '';
    throw new WasmKernelError('E_WASM_ARG', `initWasmBackend: threads must be true, false or an integer from 1 to ${MAX_WASM_THREADS}, got ${describeValue(t)}${why}`);
  }
  const timeout = opts.threadStartTimeoutMs;
  if (timeout != null && (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout))) {
    throw new WasmKernelError('E_WASM_ARG', `initWasmBackend: threadStartTimeoutMs must be a positive finite number of milliseconds, got ${String(timeout)}`);
  }
}

let loaded: KernelModule | null = null;
let loading: Promise<KernelModule> | null = null;
let lastOptions: InitWasmOptions = {};
let threadsNote = '';

/** Picks the thread count and loads the threaded module, or explains why it stays single-threaded. */
async function loadModule(opts: InitWasmOptions): Promise<KernelModule> {
  const cpus = await cpuCount();
  const auto = opts.threads === true || opts.threads == null;
  const want = opts.threads === false ? 1 : auto ? Math.min(4, cpus) : (opts.threads as number);
  const t = threadsSupport();
  const single = (why: string): Promise<KernelModule> => {
    threadsNote = why;
    return KernelModule.load(opts);
  };
  if (want <= 1) return single(auto ? 'one logical CPU: single-threaded' : 'threads disabled by the threads option');
  if (!t.available) return single(t.reason);
  if (opts.simd === false || !simdSupported()) return single('threads use the SIMD build, which is off here');
  const given = opts.wasmBytes;
  if (given != null && (isBufferSource(given) || given.threads == null)) {
    return single('wasmBytes has no threads build (pass { simd, scalar, threads })');
  }
  try {
    const km = await KernelModule.loadThreaded(opts, want, opts.threadStartTimeoutMs ?? undefined);
    const over = want > cpus ? `; more than the ${cpus} logical CPUs, so they contend` : '';
    threadsNote = `${want} threads (the caller + ${want - 1} workers) over a shared WebAssembly.Memory${over}`;
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
 * concurrent calls share one load, and a later call that would change a load option (`simd`,
 * `threads`, `wasmBytes`, `wasmPaths`) is an `E_WASM_ARG` error rather than silently ignored. Worker threads get `threadStartTimeoutMs` to start, else init
 * continues single-threaded (never hangs). Throws `WasmKernelError` `E_WASM_LOAD` when the bytes
 * cannot be found or compiled or are not the gorch kernels build of their slot (bytes in
 * `wasmBytes.threads` that are not the threads build only turn threads off), `E_WASM_ARG` for an
 * option of the wrong type or range (`wasmBytes`, `wasmPaths`, `simd`, `threads`,
 * `threadStartTimeoutMs`; `null` counts as unset); the JS backend stays active then.
 */
export async function initWasmBackend(opts: InitWasmOptions = {}): Promise<WasmCapabilities> {
  opts ??= {};
  checkLoadOptions(opts, 'initWasmBackend');
  checkThreadOptions(opts);
  if (loaded !== null || loading !== null) checkSameLoad(opts);
  if (loaded === null) {
    if (loading === null) {
      lastOptions = opts;
      loading = loadModule(opts);
    }
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
  const picked = canSimd && lastOptions.simd !== false;
  const simd = loaded ? loaded.simd : picked;
  let simdReason = !canSimd
    ? 'WebAssembly.validate rejects SIMD: scalar build'
    : simd
      ? 'WebAssembly SIMD validated: SIMD build'
      : 'SIMD disabled by the simd: false option: scalar build';
  // The bytes decide, not the slot they were passed in (see declaresV128).
  if (loaded && simd !== picked) simdReason = `the module from ${loaded.source} ${simd ? 'declares' : 'declares no'} v128 values although the ${picked ? 'SIMD' : 'scalar'} build was picked: ${simd ? 'SIMD' : 'scalar'} build`;
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
