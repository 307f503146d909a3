// initWasmBackend's option checks (src/init.ts, src/loader.ts): wrong types and ranges are
// E_WASM_ARG before anything loads, and bytes in wasmBytes.threads that are not the threads build
// turn threads off with the reason instead of loading a pool whose kernels read zeros (the simd
// build ignores the imported shared memory). This file has its own module instance (vitest
// isolates files), so the init singleton starts unloaded; the option checks run before loading.
import * as T from '@gorch/tensor';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { capabilities, initWasmBackend, WASM_FILES, type InitWasmOptions } from '../src/index';
import { matmulVsFloat64 } from './reference';

const wasmDir = new URL('../wasm/', import.meta.url);

describe('initWasmBackend options', () => {
  it('rejects a threads option that is not a boolean or an integer from 1 to 64', async () => {
    const cases: [unknown, RegExp][] = [
      [Number.NaN, /got the number NaN$/],
      [0, /got the number 0$/],
      [-3, /got the number -3$/],
      [2.5, /got the number 2\.5$/],
      ['2', /got the string "2"$/],
      [65, /got the number 65 \(65 is above the maximum of 64/],
      [1000, /got the number 1000 \(1000 is above the maximum of 64/],
    ];
    for (const [threads, msg] of cases) {
      const err = await initWasmBackend({ threads } as InitWasmOptions).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'WasmKernelError', code: 'E_WASM_ARG', message: expect.stringMatching(/^initWasmBackend: threads must be true, false or an integer from 1 to 64, /) });
      expect((err as Error).message).toMatch(msg);
    }
    expect(capabilities().loaded).toBe(false);
    expect(T.getBackendName()).not.toBe('wasm');
  });

  it('rejects wasmBytes / wasmPaths of the wrong type before loading anything', async () => {
    const bad: [InitWasmOptions, string][] = [
      [{ wasmBytes: [0, 97, 115, 109] as unknown as ArrayBuffer }, 'initWasmBackend: wasmBytes must be'],
      [{ wasmBytes: 'gorch-kernels-simd.wasm' as unknown as ArrayBuffer }, 'got the string "gorch-kernels-simd.wasm"'],
      [{ wasmBytes: 7 as unknown as ArrayBuffer }, 'got the number 7'],
      [{ wasmPaths: 42 as unknown as string }, 'initWasmBackend: wasmPaths must be a folder URL or path'],
    ];
    for (const [opts, msg] of bad) await expect(initWasmBackend({ ...opts, threads: false })).rejects.toMatchObject({ code: 'E_WASM_ARG', message: expect.stringContaining(msg) });
    expect(capabilities().loaded).toBe(false);
  });

  it('runs single-threaded, saying why, when wasmBytes.threads is the simd build', async () => {
    const simd = new Uint8Array(await readFile(new URL(WASM_FILES.simd, wasmDir)));
    // null options count as not given (the documented choice), so this is the default init otherwise.
    const caps = await initWasmBackend({ wasmBytes: { simd, threads: simd }, threads: 2, wasmPaths: null, threadStartTimeoutMs: null });
    expect(caps.loaded).toBe(true);
    expect(caps.threads).toBe(false);
    expect(caps.threadCount).toBe(1);
    expect(caps.threadsReason).toMatch(/^threads build failed, single-threaded: gorch-kernels-simd-threads\.wasm from wasmBytes\.threads: these bytes are not the threads build, they do not import env\.memory/);
    expect(caps.source).toBe('wasmBytes.simd');
    expect(caps.simd).toBe(true);

    // Large enough that a pool would split it; checked against a plain JS triple loop (float64).
    expect(T.getBackendName()).toBe('wasm');
    const { maxErr, maxAbs } = matmulVsFloat64(40, 130, 96, 5);
    expect(maxErr).toBeLessThan(1e-3);
    expect(maxAbs).toBeGreaterThan(1);
  });

  it('refuses a later call that would change a load option, and accepts repeats', async () => {
    const caps = await initWasmBackend({ threads: 2 }); // the same threads option again: fine
    expect(caps.source).toBe('wasmBytes.simd');
    await expect(initWasmBackend({ setActive: false, simd: true })).resolves.toMatchObject({ loaded: true }); // simd unset first: true repeats it
    for (const [opts, msg] of [
      [{ threads: false }, 'already loaded with threads: 2, so threads: false cannot take effect'],
      [{ simd: false }, 'already loaded with simd: unset, so simd: false cannot take effect'],
      [{ wasmPaths: '/elsewhere/' }, 'wasmPaths: "/elsewhere/" cannot take effect'],
    ] as const) await expect(initWasmBackend(opts)).rejects.toMatchObject({ code: 'E_WASM_ARG', message: expect.stringContaining(msg) });
    expect(capabilities().threadCount).toBe(1); // unchanged by the refused calls
  });
});
