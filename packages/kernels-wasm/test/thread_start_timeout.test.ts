// A kernel worker that never reports ready must not hang initWasmBackend: past threadStartTimeoutMs
// the workers are terminated and the backend runs single-threaded, saying why. The matmul is checked
// against a float64 triple loop (test/reference.ts), which is independent of the wasm kernels.
// This file has its own module instance (vitest isolates files), so the init singleton starts unloaded.
import * as T from '@gorch/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { capabilities, initWasmBackend, WasmKernelError } from '../src/index';
import { setWorkerSourceForTesting } from '../src/thread_pool';
import { matmulVsFloat64 } from './reference';

// Receives its start data and then stays silent forever, like a worker stuck before 'ready'.
const SILENT_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', () => {});
`;

describe('kernel worker start timeout', () => {
  afterAll(() => setWorkerSourceForTesting(undefined));

  it('rejects a bad threadStartTimeoutMs with a typed error', async () => {
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const err = await initWasmBackend({ threads: 3, threadStartTimeoutMs: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WasmKernelError);
      expect((err as WasmKernelError).code).toBe('E_WASM_ARG');
      expect((err as Error).message).toMatch(/threadStartTimeoutMs/);
    }
  });

  it('resolves single-threaded with the reason when a worker never reports ready', async () => {
    setWorkerSourceForTesting(SILENT_WORKER);
    const t0 = Date.now();
    const caps = await initWasmBackend({ threads: 3, threadStartTimeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(20_000); // bounded, not the default 10 s per worker
    expect(caps.loaded).toBe(true);
    expect(caps.threads).toBe(false);
    expect(caps.threadCount).toBe(1);
    expect(caps.threadsReason).toMatch(/did not report ready within 300 ms/);
    expect(caps.threadsReason).toMatch(/single-threaded/);
    expect(capabilities().threads).toBe(false);

    // Large enough that a threaded module would split it (THREAD_MIN_MACS), so a half-dead pool would show.
    expect(T.getBackendName()).toBe('wasm');
    const { maxErr, maxAbs } = matmulVsFloat64(33, 200, 150, 11);
    expect(maxErr).toBeLessThan(1e-3);
    expect(maxAbs).toBeGreaterThan(1);
  });
});
