import { registerBackend, registeredBackends, setBackend } from '@gorch/tensor';
import { WasmBackend } from './backend';
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
  /** Kernels run on several threads (currently never; see the README's threads section). */
  threads: boolean;
  /** Why threads are off. */
  threadsReason: string;
  /** Where the module bytes came from. */
  source: string | null;
}

/** Options of {@link initWasmBackend}. */
export interface InitWasmOptions extends WasmLoadOptions {
  /** Make `'wasm'` the active backend after loading (default `true`). */
  setActive?: boolean;
  /** Registry priority; above the JS backend's so `'wasm'` is the default (default 2). */
  priority?: number;
}

let loaded: KernelModule | null = null;
let loading: Promise<KernelModule> | null = null;
let lastOptions: WasmLoadOptions = {};

/**
 * Loads the kernels (SIMD build when `WebAssembly.validate` accepts it, else scalar), registers the
 * `'wasm'` backend and its kernels in @gorch/tensor, and by default makes it active. Idempotent;
 * concurrent calls share one load. Throws `WasmKernelError` (`E_WASM_LOAD`) when the bytes cannot
 * be found or compiled; the JS backend stays active then.
 */
export async function initWasmBackend(opts: InitWasmOptions = {}): Promise<WasmCapabilities> {
  if (loaded === null) {
    lastOptions = opts;
    loading ??= KernelModule.load(opts);
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
  return {
    loaded: loaded !== null && registeredBackends().includes('wasm'),
    simd,
    simdReason,
    threads: false,
    threadsReason: t.available
      ? 'shared memory is available, but this version of the kernels is single-threaded (README, "Threads")'
      : t.reason,
    source: loaded ? loaded.source : null,
  };
}
