// Where the wasm bytes come from in Node (src/loader.ts): the committed files next to the module,
// a wasmPaths folder (path, file: URL, or one entry per file), or wasmBytes; never fetch() of a file
// path. Bad locations and bytes that are not a module give E_WASM_LOAD naming the file. The browser
// side (asset URLs of a bundler, wasmPaths over HTTP) is test/browser/browser.test.ts.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { compileKernelModule, KernelModule, WASM_FILES, type WasmLoadOptions } from '../src/index';
import { declaresV128 } from '../src/simd_support';

const wasmDir = fileURLToPath(new URL('../wasm/', import.meta.url));
// Exports of the committed build (build.sh), not of anything this test constructs.
const exportsOf = (m: WebAssembly.Module): string[] => WebAssembly.Module.exports(m).map((e) => e.name);

describe('compileKernelModule in Node', () => {
  let tmp = '';
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'gorch-loader-'));
    // What a dev server's HTML fallback sends instead of a missing .wasm file.
    await writeFile(join(tmp, WASM_FILES.simd), '<!doctype html><html><body>app</body></html>');
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));
  beforeEach(() => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('fetch must not be used in Node')));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reads the files next to the module with fs by default', async () => {
    const { module, simd, source } = await compileKernelModule({ simd: true });
    expect(simd).toBe(true);
    expect(source).toBe(pathToFileURL(join(wasmDir, WASM_FILES.simd)).href);
    expect(exportsOf(module)).toContain('gorch_linear_cols');
  });

  it('takes wasmPaths as a folder path, a file: URL, or one entry per file', async () => {
    const viaPath = await compileKernelModule({ simd: false, wasmPaths: wasmDir.replace(/\/$/, '') });
    expect(viaPath.source).toBe(join(wasmDir, WASM_FILES.scalar));
    const viaUrl = await compileKernelModule({ simd: true, wasmPaths: pathToFileURL(wasmDir) });
    expect(viaUrl.source).toBe(pathToFileURL(join(wasmDir, WASM_FILES.simd)).href);
    const viaMap = await compileKernelModule({ simd: true, wasmPaths: { [WASM_FILES.simd]: join(wasmDir, WASM_FILES.simd) } });
    expect(exportsOf(viaMap.module)).toEqual(exportsOf(viaUrl.module));
  });

  it('takes wasmBytes as one buffer or per build', async () => {
    const bytes = new Uint8Array(await readFile(join(wasmDir, WASM_FILES.simd)));
    expect((await compileKernelModule({ simd: true, wasmBytes: bytes })).source).toBe('wasmBytes');
    expect((await compileKernelModule({ simd: true, wasmBytes: { simd: bytes.buffer } })).source).toBe('wasmBytes.simd');
  });

  it('names the missing file or map entry (E_WASM_LOAD)', async () => {
    const missing = join(tmp, 'nowhere/');
    await expect(compileKernelModule({ simd: false, wasmPaths: missing })).rejects.toMatchObject({ code: 'E_WASM_LOAD', message: expect.stringContaining(join(missing, WASM_FILES.scalar)) });
    await expect(compileKernelModule({ simd: false, wasmPaths: { [WASM_FILES.simd]: wasmDir } })).rejects.toMatchObject({ code: 'E_WASM_LOAD', message: expect.stringContaining(`no entry for '${WASM_FILES.scalar}'`) });
  });

  it('says what it got when the bytes are not a wasm module (e.g. an HTML fallback page)', async () => {
    await expect(compileKernelModule({ simd: true, wasmPaths: tmp })).rejects.toMatchObject({
      code: 'E_WASM_LOAD',
      message: expect.stringMatching(/gorch-kernels-simd\.wasm from .* is not a WebAssembly module \(44 bytes starting with "<!doctype html>.*optimizeDeps/),
    });
    await expect(compileKernelModule({ simd: true, wasmBytes: new Uint8Array(0) })).rejects.toMatchObject({ code: 'E_WASM_LOAD', message: expect.stringMatching(/is not a WebAssembly module \(it is empty\); pass the bytes of the \.wasm file itself/) });
  });
});

// The committed builds (build.sh): simd and scalar export their memory, the threads build imports
// a shared env.memory. Each in the wrong slot used to load "successfully" (the simd build as
// threads computed zeros on its own memory) or fail with a raw TypeError / LinkError.
describe('compileKernelModule checks the bytes are the build of their slot', () => {
  const file = (f: string): Promise<Uint8Array<ArrayBuffer>> => readFile(join(wasmDir, f)).then((b) => new Uint8Array(b));
  let simd: Uint8Array<ArrayBuffer>, scalar: Uint8Array<ArrayBuffer>, threads: Uint8Array<ArrayBuffer>;
  beforeAll(async () => {
    [simd, scalar, threads] = await Promise.all([file(WASM_FILES.simd), file(WASM_FILES.scalar), file(WASM_FILES.threads)]);
  });

  it('rejects the simd or scalar build as the threads build (E_WASM_LOAD naming wasmBytes.threads)', async () => {
    for (const wrong of [simd, scalar]) {
      await expect(compileKernelModule({ wasmBytes: { threads: wrong } }, 'threads')).rejects.toMatchObject({
        code: 'E_WASM_LOAD',
        message: expect.stringMatching(/gorch-kernels-simd-threads\.wasm from wasmBytes\.threads: these bytes are not the threads build, they do not import env\.memory; they export a memory of their own/),
      });
    }
    expect((await compileKernelModule({ wasmBytes: { threads } }, 'threads')).source).toBe('wasmBytes.threads');
  });

  it('rejects the threads build as the simd or scalar build, and says where it belongs', async () => {
    await expect(compileKernelModule({ simd: true, wasmBytes: threads })).rejects.toMatchObject({ code: 'E_WASM_LOAD', message: expect.stringMatching(/gorch-kernels-simd\.wasm from wasmBytes: these bytes are the threads build .*pass them as wasmBytes\.threads/) });
    await expect(compileKernelModule({ simd: false, wasmBytes: { scalar: threads } })).rejects.toMatchObject({ code: 'E_WASM_LOAD', message: expect.stringContaining('gorch-kernels.wasm from wasmBytes.scalar: these bytes are the threads build') });
    // Through KernelModule.load (what initWasmBackend calls) the error is the same, not a LinkError.
    await expect(KernelModule.load({ simd: true, wasmBytes: { simd: threads } })).rejects.toMatchObject({ code: 'E_WASM_LOAD', message: expect.stringContaining('wasmBytes.simd') });
  });

  it('rejects modules that are not the kernels: foreign imports, missing exports', async () => {
    // Hand-assembled (core spec binary format): an empty module, and one importing env.foo (a () -> () function).
    const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const importing = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 11, 1, 3, 0x65, 0x6e, 0x76, 3, 0x66, 0x6f, 0x6f, 0, 0]);
    await expect(KernelModule.load({ simd: true, wasmBytes: empty })).rejects.toMatchObject({ code: 'E_WASM_LOAD', message: expect.stringMatching(/gorch-kernels-simd\.wasm from wasmBytes is not a gorch kernels module of this version: \d+ of the \d+ exports .*missing \(memory, _initialize/) });
    await expect(KernelModule.load({ simd: true, wasmBytes: importing })).rejects.toMatchObject({ code: 'E_WASM_LOAD', message: expect.stringContaining('is not a gorch kernels module: it imports env.foo (function)') });
    await expect(compileKernelModule({ wasmBytes: { threads: empty } }, 'threads')).rejects.toMatchObject({ code: 'E_WASM_LOAD', message: expect.stringContaining('wasmBytes.threads') });
  });

  it('reports the SIMD the bytes declare, not the slot they were passed in', async () => {
    expect([declaresV128(simd), declaresV128(scalar), declaresV128(threads)]).toEqual([true, false, true]);
    // Hand-assembled (core spec binary format): v128 only as a parameter, only as a local, nowhere.
    const head = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
    const param = new Uint8Array([...head, 1, 5, 1, 0x60, 1, 0x7b, 0, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b]);
    const local = new Uint8Array([...head, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 1, 1, 0x7b, 0x0b]);
    const f32local = new Uint8Array([...head, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 1, 1, 0x7d, 0x0b]);
    expect([param, local, f32local].map((m) => WebAssembly.validate(m))).toEqual([true, true, true]);
    expect([param, local, f32local].map(declaresV128)).toEqual([true, true, false]);
    expect((await compileKernelModule({ simd: true, wasmBytes: { simd: scalar } })).simd).toBe(false);
    expect((await compileKernelModule({ simd: false, wasmBytes: { scalar: simd } })).simd).toBe(true);
    expect((await compileKernelModule({ simd: true, wasmBytes: simd })).simd).toBe(true);
  });

  it('takes a DataView, a Float32Array view or a SharedArrayBuffer of the bytes', async () => {
    const exp = exportsOf((await compileKernelModule({ simd: true })).module);
    const shared = new SharedArrayBuffer(simd.byteLength);
    new Uint8Array(shared).set(simd);
    const padded = new Uint8Array(simd.byteLength + 7);
    padded.set(simd, 3); // an odd offset into a larger buffer
    for (const wasmBytes of [new DataView(padded.buffer, 3, simd.byteLength), shared, { simd: new Uint8Array(shared) }] as WasmLoadOptions['wasmBytes'][]) {
      expect(exportsOf((await compileKernelModule({ simd: true, wasmBytes })).module)).toEqual(exp);
    }
  });
});

describe('compileKernelModule option types', () => {
  it('treats null wasmBytes / wasmPaths / entries as not given (the default files)', async () => {
    const dflt = pathToFileURL(join(wasmDir, WASM_FILES.scalar)).href;
    expect((await compileKernelModule({ simd: false, wasmBytes: null })).source).toBe(dflt);
    expect((await compileKernelModule({ simd: false, wasmPaths: null })).source).toBe(dflt);
    expect((await compileKernelModule({ simd: false, wasmBytes: { scalar: null } })).source).toBe(dflt);
  });

  it('rejects wasmBytes that are not bytes (E_WASM_ARG naming the option and the type)', async () => {
    const bytes = new Uint8Array(await readFile(join(wasmDir, WASM_FILES.simd)));
    const cases: [unknown, RegExp][] = [
      [Array.from(bytes.subarray(0, 16)), /wasmBytes must be .* got an array of length 16/],
      ['<html>', /wasmBytes must be .* got the string "<html>"/],
      [42, /wasmBytes must be .* got the number 42/],
      [new Map(), /wasmBytes must be .* got a Map/],
      [{ simd: 'gorch-kernels-simd.wasm' }, /wasmBytes\.simd must be .* got the string "gorch-kernels-simd\.wasm"/],
      [{ simdd: bytes }, /wasmBytes has the key 'simdd'; its keys are simd, scalar, threads/],
    ];
    for (const [wasmBytes, msg] of cases) {
      await expect(compileKernelModule({ simd: true, wasmBytes: wasmBytes as WasmLoadOptions['wasmBytes'] })).rejects.toMatchObject({ name: 'WasmKernelError', code: 'E_WASM_ARG', message: expect.stringMatching(msg) });
    }
  });

  it('rejects wasmPaths and simd of the wrong type (E_WASM_ARG naming the type)', async () => {
    await expect(compileKernelModule({ wasmPaths: 42 as unknown as string })).rejects.toMatchObject({ code: 'E_WASM_ARG', message: expect.stringMatching(/wasmPaths must be a folder URL or path .* got the number 42/) });
    await expect(compileKernelModule({ wasmPaths: '' })).rejects.toMatchObject({ code: 'E_WASM_ARG', message: expect.stringContaining('wasmPaths must be a folder URL or path, got the string ""') });
    await expect(compileKernelModule({ wasmPaths: { [WASM_FILES.simd]: 7 as unknown as string } })).rejects.toMatchObject({ code: 'E_WASM_ARG', message: expect.stringContaining(`wasmPaths['${WASM_FILES.simd}'] must be a URL or path (string or URL), got the number 7`) });
    await expect(compileKernelModule({ simd: 'false' as unknown as boolean })).rejects.toMatchObject({ code: 'E_WASM_ARG', message: expect.stringContaining('simd must be true or false, got the string "false"') });
  });
});

// Real fetch() over 127.0.0.1 (no outside network): Node takes http: URLs through fetch.
describe('compileKernelModule over HTTP', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const threads = await readFile(join(wasmDir, WASM_FILES.threads));
    // Serves the threads build under every name, like a misconfigured copy step.
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/wasm' }).end(threads));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wasm/`;
  });
  afterAll(() => new Promise<void>((res) => server.close(() => res())));

  it('names the URL whose bytes are not the build of their slot', async () => {
    await expect(compileKernelModule({ simd: true, wasmPaths: base })).rejects.toMatchObject({
      code: 'E_WASM_LOAD',
      message: `${WASM_FILES.simd} from ${base}${WASM_FILES.simd}: these bytes are the threads build (${WASM_FILES.threads}, which imports a shared env.memory); serve ${WASM_FILES.simd} there`,
    });
    expect((await compileKernelModule({ wasmPaths: base }, 'threads')).source).toBe(base + WASM_FILES.threads);
  });

  it('turns a refused connection into E_WASM_LOAD naming the URL, with the cause', async () => {
    // A port that was just free: nothing listens there, so the connection is refused.
    const probe = createServer();
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((res) => probe.close(() => res()));
    const url = `http://127.0.0.1:${port}/wasm/${WASM_FILES.simd}`;
    const err = await compileKernelModule({ simd: true, wasmPaths: `http://127.0.0.1:${port}/wasm/` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'WasmKernelError', code: 'E_WASM_LOAD', message: expect.stringMatching(new RegExp(`^fetching wasm module '${url.replace(/[.]/g, '\\.')}' failed: fetch failed \\(.*ECONNREFUSED`)) });
    expect((err as { cause?: unknown }).cause).toBeInstanceOf(TypeError);
  });
});
