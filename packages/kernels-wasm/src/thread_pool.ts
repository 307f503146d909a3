import { WasmKernelError } from './errors';
import type { KernelModule } from './kernel_module';
import { SplitPolicy } from './thread_policy';
import { WORKER_SOURCE } from './thread_worker_source';

// Control block (int32 words in the shared heap). A job is published by closing the previous one
// (CLAIM := new generation, chunk 0), writing its arguments, then bumping GEN and notifying. Every
// thread, the caller included, claims chunk indices with compare-exchange on CLAIM, whose top 22 bits
// carry the generation, so a late worker still holding an older job's arguments can never claim a
// chunk of the new one. Chunks are whole column ranges (multiples of 8), and each output column is
// computed by one thread exactly as the single-threaded kernel computes it, so results are
// bit-identical to single-threaded ones whatever thread takes which chunk.
const GEN = 0, CLAIM = 1, CHUNKS = 2, DONE = 3, EXIT = 4, STEP = 5, ARGS = 8;
const GEN_MASK = 0x3fffff, CHUNK_BITS = 10, MAX_CHUNKS = 1 << CHUNK_BITS;
const CTRL_BYTES = 256;
const STACK_BYTES = 256 * 1024;
/** Polls of a waiting thread before it sleeps in `Atomics.wait` (back-to-back decode kernels arrive within it). */
const SPIN = 20000;

interface WorkerHandle { terminate(): unknown; unref?(): void; postMessage(m: unknown): void }

const isNode = typeof process !== 'undefined' && typeof process.versions === 'object' && !!process.versions.node;
/** Browsers forbid `Atomics.wait` on the main thread; Node allows it. */
const canBlock = isNode || (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined');

/** Default bound on starting all kernel workers (`threadStartTimeoutMs`). */
export const DEFAULT_THREAD_START_TIMEOUT_MS = 10_000;

let workerSource = WORKER_SOURCE;

/**
 * Test-only hook (not exported from the package index): replaces the worker source, e.g. with one
 * that never reports ready, so the start timeout can be exercised; `undefined` restores the real one.
 */
export function setWorkerSourceForTesting(source: string | undefined): void {
  workerSource = source ?? WORKER_SOURCE;
}

/** Creates a worker and sends it its start data; `ready` settles when it reports ready or fails. */
async function spawn(data: Record<string, unknown>): Promise<{ handle: WorkerHandle; ready: Promise<void> }> {
  let w: WorkerHandle;
  let ready: Promise<void>;
  if (isNode) {
    const name = 'node:worker_threads';
    const { Worker }: typeof import('node:worker_threads') = await import(/* @vite-ignore */ name);
    const nw = new Worker(workerSource, { eval: true });
    ready = new Promise((res, rej) => { nw.once('message', () => res()); nw.once('error', rej); });
    w = nw;
  } else {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    const bw = new Worker(url);
    // A worker blocked by a Content-Security-Policy gets a plain Event without a message (Chromium,
    // browser smoke test), which left threadsReason ending in "failed: ".
    const why = 'the Web Worker from a Blob URL did not start (e.g. blocked by a Content-Security-Policy without worker-src blob:)';
    ready = new Promise((res, rej) => { bw.onmessage = () => res(); bw.onerror = (e) => rej(new Error(e.message || why)); });
    w = bw;
  }
  w.postMessage(data);
  return { handle: w, ready };
}

/** Resolves with `p`, or rejects with `E_WASM_THREAD_TIMEOUT` once `deadline` (ms since epoch) passes. */
function beforeDeadline<T>(p: Promise<T>, deadline: number, what: string, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, rej) => {
    timer = setTimeout(
      () => rej(new WasmKernelError('E_WASM_THREAD_TIMEOUT', `${what} did not report ready within ${timeoutMs} ms`)),
      Math.max(0, deadline - Date.now()),
    );
    // The timer must not keep a Node process alive on its own.
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

/**
 * Persistent kernel workers over the module's shared memory. The calling thread always takes a
 * share of each job, so a worker that is slow to wake (a busy machine) costs nothing but its
 * share, which the caller then computes itself.
 */
export class ThreadPool {
  private gen = 0;
  private disposed = false;
  /** Whether each product goes to the pool or stays on the calling thread (see thread_policy.ts). */
  readonly policy = new SplitPolicy();

  private constructor(
    private readonly km: KernelModule,
    private readonly workers: WorkerHandle[],
    private readonly ctrl: Int32Array,
    private readonly allocations: number[],
  ) {}

  /** Threads that run kernels: the workers plus the calling thread. */
  get size(): number {
    return this.workers.length + 1;
  }

  /**
   * Starts `workers` workers on `module` (the threads build) over `memory`, which `km` also uses.
   * All of them must report ready within `timeoutMs` (default
   * {@link DEFAULT_THREAD_START_TIMEOUT_MS}), else every worker is terminated and this throws
   * `WasmKernelError` `E_WASM_THREAD_TIMEOUT`; a worker that fails to start throws `E_WASM_LOAD`.
   * Either way no worker is left running.
   */
  static async start(km: KernelModule, module: WebAssembly.Module, memory: WebAssembly.Memory, workers: number, timeoutMs = DEFAULT_THREAD_START_TIMEOUT_MS): Promise<ThreadPool> {
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      throw new WasmKernelError('E_WASM_ARG', `threadStartTimeoutMs must be a positive finite number of milliseconds, got ${timeoutMs}`);
    }
    const deadline = Date.now() + timeoutMs;
    const ctrlPtr = km.malloc(CTRL_BYTES);
    km.u8().fill(0, ctrlPtr, ctrlPtr + CTRL_BYTES);
    const allocations = [ctrlPtr];
    const wsBytes = 4 * km.exports.gorch_gemm_workspace_floats();
    const handles: WorkerHandle[] = [];
    try {
      for (let i = 0; i < workers; i++) {
        const stack = km.malloc(STACK_BYTES);
        const ws = km.malloc(wsBytes);
        allocations.push(stack, ws);
        const { handle, ready } = await spawn({ module, memory, ctrl: ctrlPtr, ws, stackTop: stack + STACK_BYTES, spin: SPIN });
        handles.push(handle);
        await beforeDeadline(ready, deadline, `kernel worker ${i + 1} of ${workers}`, timeoutMs);
        handle.unref?.(); // idle kernel workers must not keep a Node process alive
      }
    } catch (e) {
      for (const h of handles) void h.terminate();
      if (e instanceof WasmKernelError && e.code === 'E_WASM_THREAD_TIMEOUT') {
        // A worker that timed out may still be running on this heap until terminate() takes
        // effect, so its stack and workspace are not handed back to the allocator; the caller drops
        // this module and loads a single-threaded one.
        throw new WasmKernelError(e.code, `${e.message}; all kernel workers were terminated`);
      }
      for (const p of allocations) km.free(p);
      throw new WasmKernelError('E_WASM_LOAD', `starting kernel worker threads failed: ${(e as Error).message}`);
    }
    return new ThreadPool(km, handles, new Int32Array(memory.buffer, ctrlPtr, CTRL_BYTES >> 2), allocations);
  }

  /**
   * `gorch_linear_cols` over output columns [0, N) split into chunks of `step` columns (a multiple of
   * 8), run on every thread; returns when all chunks are done. Arguments as `gorch_linear_cols`
   * (weights in any format and layout, read in place).
   */
  linear(M: number, N: number, K: number, x: number, W: number, fmt: number, transposed: number, bias: number, out: number, step: number): void {
    if (this.disposed) throw new WasmKernelError('E_WASM_DISPOSED', 'kernel thread pool was disposed');
    if (step % 8 !== 0 || step <= 0) throw new WasmKernelError('E_WASM_ARG', `thread chunk step ${step} is not a positive multiple of 8`);
    const n = Math.ceil(N / step);
    if (n > MAX_CHUNKS) throw new WasmKernelError('E_WASM_ARG', `${n} chunks exceed ${MAX_CHUNKS}`);
    const c = this.ctrl;
    const g = (this.gen = (this.gen + 1) | 0);
    const claimBase = (g & GEN_MASK) << CHUNK_BITS;
    Atomics.store(c, CLAIM, claimBase); // closes the previous job before its arguments change
    c[CHUNKS] = n;
    c[STEP] = step;
    c[ARGS] = M; c[ARGS + 1] = N; c[ARGS + 2] = K; c[ARGS + 3] = x; c[ARGS + 4] = W;
    c[ARGS + 5] = fmt; c[ARGS + 6] = transposed; c[ARGS + 7] = bias; c[ARGS + 8] = out;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, GEN, g);
    Atomics.notify(c, GEN);
    const run = this.km.exports.gorch_linear_cols;
    let mine = 0;
    for (;;) {
      const v = Atomics.load(c, CLAIM);
      const k = v & (MAX_CHUNKS - 1);
      if (k >= n) break;
      if (Atomics.compareExchange(c, CLAIM, v, v + 1) !== v) continue;
      const n0 = k * step;
      run(M, N, K, n0, Math.min(N, n0 + step), x, W, fmt, transposed, bias, out, 0);
      mine++;
    }
    if (Atomics.add(c, DONE, mine) + mine === n) return;
    for (let spins = 0; ; ) {
      const done = Atomics.load(c, DONE);
      if (done === n) return;
      if (canBlock && ++spins > SPIN) Atomics.wait(c, DONE, done, 50);
    }
  }

  /**
   * Stops the workers and frees their stacks and workspaces; the module keeps working
   * single-threaded. The 256-byte control block is kept: a worker that has not stopped yet must
   * keep reading EXIT there, not whatever a later allocation writes.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const c = this.ctrl;
    Atomics.store(c, EXIT, 1);
    Atomics.store(c, CHUNKS, 0);
    Atomics.store(c, CLAIM, (((this.gen + 1) & GEN_MASK) << CHUNK_BITS) | (MAX_CHUNKS - 1));
    Atomics.store(c, GEN, (this.gen = (this.gen + 1) | 0));
    Atomics.notify(c, GEN);
    for (const w of this.workers) void w.terminate();
    // No job is running (linear() returns only when every chunk is done), so no worker is inside a
    // kernel call using these stacks or workspaces.
    for (const p of this.allocations.slice(1)) this.km.free(p);
  }
}
