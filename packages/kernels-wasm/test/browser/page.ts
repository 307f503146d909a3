// Browser entry of the smoke test (bundled by Vite in browser.test.ts, the way an application
// would bundle gorch): loads the kernels, runs the shared workload and publishes the results on
// `window.__gorch` for Playwright. `?wasmPaths=/wasm/` passes that folder as the wasmPaths option
// instead of relying on asset URLs emitted by the bundler (esbuild emits none).
import * as T from '@gorch/tensor';
import { capabilities, initWasmBackend, wasmKernelModule, type WasmCapabilities } from '@gorch/kernels-wasm';
import { runWorkload, type BitsResult } from './workload';

/** What the page reports back to the test. */
export interface PageReport {
  caps: WasmCapabilities;
  crossOriginIsolated: boolean;
  backend: string;
  results: Record<string, BitsResult>;
  /** Output columns of pooled products computed by the page's main thread, and by the workers. */
  columns: { caller: number; workers: number };
}

declare global {
  interface Window { __gorch?: PageReport | { error: string } }
}

async function main(): Promise<PageReport> {
  const params = new URLSearchParams(location.search);
  const wasmPaths = params.get('wasmPaths');
  // A generous start timeout: the CI machine may be busy; the default path is otherwise unchanged.
  await initWasmBackend({ threadStartTimeoutMs: 30_000, ...(wasmPaths !== null ? { wasmPaths: new URL(wasmPaths, location.href).href } : {}) });
  const km = wasmKernelModule();
  let total = 0, caller = 0;
  const pool = km?.pool;
  if (km && pool) {
    // Every large product on the pool, and count which thread computed which columns: the pool
    // calls gorch_linear_cols on this thread for the chunks it claims; the workers take the rest.
    pool.policy.mode = 'always';
    const ex = km.exports as unknown as Record<string, (...a: number[]) => void>;
    const cols = ex.gorch_linear_cols;
    ex.gorch_linear_cols = (...a: number[]) => {
      caller += a[4] - a[3];
      return cols(...a);
    };
    const linear = pool.linear.bind(pool);
    pool.linear = (...a: Parameters<typeof pool.linear>) => {
      total += a[1];
      return linear(...a);
    };
  }
  const results = runWorkload();
  if (pool) {
    // A worker that wakes late leaves every chunk to this thread; repeat one pooled product (bounded)
    // until a worker has taken a share, so "threads" means the workers really computed.
    const x = T.full([1, 768], 0.5), w = T.full([1024, 768], 0.25);
    const deadline = performance.now() + 10_000;
    for (let i = 0; i < 500 && total === caller && performance.now() < deadline; i++) T.linear(x, w).dispose();
    x.dispose();
    w.dispose();
  }
  const columns = { caller, workers: total - caller };
  return { caps: capabilities(), crossOriginIsolated: globalThis.crossOriginIsolated === true, backend: T.getBackendName(), results, columns };
}

main().then(
  (r) => { window.__gorch = r; },
  (e: unknown) => { window.__gorch = { error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e) }; },
);
