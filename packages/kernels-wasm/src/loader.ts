import { WasmKernelError } from './errors';
import { simdSupported } from './simd_support';

/**
 * File names of the committed builds (same C source; see build.sh). `threads` is the SIMD build over
 * an imported shared memory, used by the worker pool (src/thread_pool.ts).
 */
export const WASM_FILES = { simd: 'gorch-kernels-simd.wasm', scalar: 'gorch-kernels.wasm', threads: 'gorch-kernels-simd-threads.wasm' } as const;

/** Which of the committed builds to compile. */
export type WasmBuild = keyof typeof WASM_FILES;

/** Where the wasm bytes come from. Every field is optional; by default the files next to this module are used. */
export interface WasmLoadOptions {
  /**
   * The module bytes themselves (e.g. inlined by a bundler, or read by the caller). Either one buffer
   * for the build chosen by `simd`, or both builds keyed by `simd` / `scalar`.
   */
  wasmBytes?: BufferSource | { simd?: BufferSource; scalar?: BufferSource; threads?: BufferSource };
  /**
   * Where the `.wasm` files are served (tfjs `setWasmPaths` style): a folder URL or path ending in `/`,
   * or one URL/path per file name. Browser URLs are fetched; in Node paths and file: URLs are read from disk.
   */
  wasmPaths?: string | URL | Partial<Record<(typeof WASM_FILES)[keyof typeof WASM_FILES], string | URL>>;
  /** Force the SIMD (`true`) or scalar (`false`) build; default: SIMD when `WebAssembly.validate` accepts it. */
  simd?: boolean;
}

const isNode = typeof process !== 'undefined' && typeof process.versions === 'object' && !!process.versions.node;

function defaultUrl(file: string): URL {
  // Resolves to packages/kernels-wasm/wasm/ from both src/ and dist/; bundlers (Vite, webpack 5,
  // esbuild with the file loader) recognise this pattern and emit the asset.
  if (file === WASM_FILES.threads) return new URL('../wasm/gorch-kernels-simd-threads.wasm', import.meta.url);
  return file === WASM_FILES.simd
    ? new URL('../wasm/gorch-kernels-simd.wasm', import.meta.url)
    : new URL('../wasm/gorch-kernels.wasm', import.meta.url);
}

function locate(file: string, paths: WasmLoadOptions['wasmPaths']): string | URL {
  if (paths === undefined) return defaultUrl(file);
  if (typeof paths === 'string' || paths instanceof URL) {
    const base = String(paths);
    return base.endsWith('/') ? base + file : `${base}/${file}`;
  }
  const p = (paths as Record<string, string | URL | undefined>)[file];
  if (p === undefined) throw new WasmKernelError('E_WASM_LOAD', `wasmPaths has no entry for '${file}'`);
  return p;
}

async function readBytes(where: string | URL): Promise<BufferSource> {
  const href = String(where);
  if (isNode && !/^(https?|data|blob):/.test(href)) {
    // Node: read from disk. fetch() of a file path is not supported in Node, so never use it here.
    const fsName = 'node:fs/promises';
    const urlName = 'node:url';
    const fs: typeof import('node:fs/promises') = await import(/* @vite-ignore */ fsName);
    const { fileURLToPath }: typeof import('node:url') = await import(/* @vite-ignore */ urlName);
    const path = href.startsWith('file:') ? fileURLToPath(href) : href;
    try {
      return new Uint8Array(await fs.readFile(path));
    } catch (e) {
      throw new WasmKernelError('E_WASM_LOAD', `cannot read wasm module '${path}': ${(e as Error).message}`);
    }
  }
  const res = await fetch(href);
  if (!res.ok) throw new WasmKernelError('E_WASM_LOAD', `fetching wasm module '${href}' failed: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/**
 * Resolves the module bytes and compiles them. Returns the module and whether it is a SIMD build.
 * `build` forces one build (`'threads'` for the shared-memory one); by default `opts.simd` or the
 * SIMD probe picks `'simd'` or `'scalar'`.
 */
export async function compileKernelModule(opts: WasmLoadOptions = {}, build?: WasmBuild): Promise<{ module: WebAssembly.Module; simd: boolean; source: string }> {
  const canSimd = simdSupported();
  if ((opts.simd === true || build === 'threads' || build === 'simd') && !canSimd) throw new WasmKernelError('E_WASM_LOAD', 'a SIMD build was requested but this engine rejects WebAssembly SIMD');
  const kind: WasmBuild = build ?? ((opts.simd ?? canSimd) ? 'simd' : 'scalar');
  const simd = kind !== 'scalar';
  const file = WASM_FILES[kind];
  let bytes: BufferSource;
  let source: string;
  const given = opts.wasmBytes;
  if (given !== undefined && (ArrayBuffer.isView(given) || given instanceof ArrayBuffer)) {
    bytes = given;
    source = 'wasmBytes';
  } else if (given !== undefined && (given as Record<string, BufferSource | undefined>)[kind] !== undefined) {
    bytes = (given as Record<string, BufferSource>)[kind];
    source = `wasmBytes.${kind}`;
  } else {
    const where = locate(file, opts.wasmPaths);
    bytes = await readBytes(where);
    source = String(where);
  }
  const notWasm = describeIfNotWasm(bytes);
  if (notWasm !== null) {
    const hint = source.startsWith('wasmBytes')
      ? 'pass the bytes of the .wasm file itself'
      : "that URL does not serve the file (a dev server's HTML fallback?): with Vite's dev server add optimizeDeps: { exclude: ['@gorch/kernels-wasm'] }, or pass wasmPaths / wasmBytes (README, Browsers)";
    throw new WasmKernelError('E_WASM_LOAD', `${file} from ${source} is not a WebAssembly module (${notWasm}); ${hint}`);
  }
  try {
    return { module: await WebAssembly.compile(bytes), simd, source };
  } catch (e) {
    throw new WasmKernelError('E_WASM_LOAD', `compiling ${file} from ${source} failed: ${(e as Error).message}`);
  }
}

/**
 * Null when `bytes` start with `\0asm`, the magic of every binary module (WebAssembly core spec,
 * binary format, "Modules"); otherwise what they start with. Regression (browser smoke test,
 * 2026-11-30): Vite's dev server pre-bundles dependencies into node_modules/.vite/deps, so
 * `new URL('../wasm/…', import.meta.url)` points where no file is and the server answers 200 with
 * index.html; compile() then only said "expected magic word 00 61 73 6d, found 3c 21 64 6f".
 */
function describeIfNotWasm(bytes: BufferSource): string | null {
  const u8 = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 32)) : new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 32));
  if (u8.length >= 4 && u8[0] === 0x00 && u8[1] === 0x61 && u8[2] === 0x73 && u8[3] === 0x6d) return null;
  if (u8.length === 0) return 'it is empty';
  const text = Array.from(u8, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
  return `${bytes.byteLength} bytes starting with ${JSON.stringify(text)}`;
}
