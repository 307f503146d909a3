// Where the wasm bytes come from in Node (src/loader.ts): the committed files next to the module,
// a wasmPaths folder (path, file: URL, or one entry per file), or wasmBytes; never fetch() of a file
// path. Bad locations and bytes that are not a module give E_WASM_LOAD naming the file. The browser
// side (asset URLs of a bundler, wasmPaths over HTTP) is test/browser/browser.test.ts.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { compileKernelModule, WASM_FILES } from '../src/index';

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
