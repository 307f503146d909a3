import { WasmKernelError } from './errors';
import { declaresV128, simdSupported } from './simd_support';
import type { KernelExports } from './wasm_exports';

/**
 * File names of the committed builds (same C source; see build.sh). `threads` is the SIMD build over
 * an imported shared memory, used by the worker pool (src/thread_pool.ts).
 */
export const WASM_FILES = { simd: 'gorch-kernels-simd.wasm', scalar: 'gorch-kernels.wasm', threads: 'gorch-kernels-simd-threads.wasm' } as const;

/** Which of the committed builds to compile. */
export type WasmBuild = keyof typeof WASM_FILES;

/** Module bytes per build; a missing (or `null`) entry means "read that build's file". */
export type WasmBytesByBuild = { [K in WasmBuild]?: BufferSource | null };

/**
 * Where the wasm bytes come from. Every field is optional, and `null` means the same as leaving it
 * out; by default the files next to this module are used. Any other type is `E_WASM_ARG`.
 */
export interface WasmLoadOptions {
  /**
   * The module bytes themselves (e.g. inlined by a bundler, or read by the caller): an ArrayBuffer,
   * a typed array / DataView / Node Buffer, or a SharedArrayBuffer. Either one buffer for the build
   * chosen by `simd`, or per build keyed by `simd` / `scalar` / `threads` (other keys are
   * `E_WASM_ARG`). Bytes that are not the gorch kernels build of that slot are `E_WASM_LOAD`, except
   * in `threads`, where they only turn threads off (`capabilities().threadsReason` says why).
   */
  wasmBytes?: BufferSource | SharedArrayBuffer | WasmBytesByBuild | null;
  /**
   * Where the `.wasm` files are served (tfjs `setWasmPaths` style): a folder URL or path ending in `/`,
   * or one URL/path per file name. Browser URLs are fetched; in Node paths and file: URLs are read from disk.
   */
  wasmPaths?: string | URL | Partial<Record<(typeof WASM_FILES)[keyof typeof WASM_FILES], string | URL | null>> | null;
  /** Force the SIMD (`true`) or scalar (`false`) build; default: SIMD when `WebAssembly.validate` accepts it. */
  simd?: boolean | null;
}

const isNode = typeof process !== 'undefined' && typeof process.versions === 'object' && !!process.versions.node;

/**
 * Every export the JS side calls, with its kind. `satisfies` ties it to {@link KernelExports}: an
 * export added there without being added here fails the typecheck. `memory` is imported, not
 * exported, by the threads build (checked separately).
 */
const KERNEL_EXPORTS = {
  memory: 'memory', _initialize: 'function', gorch_malloc: 'function', gorch_free: 'function', gorch_gemm: 'function', gorch_bmm: 'function',
  gorch_matvec_f32: 'function', gorch_matvec_bf16: 'function', gorch_matvec_f16: 'function', gorch_vecmat_f32: 'function', gorch_vecmat_bf16: 'function',
  gorch_vecmat_f16: 'function', gorch_binary: 'function', gorch_unary: 'function', gorch_softmax: 'function', gorch_log_softmax: 'function',
  gorch_layer_norm: 'function', gorch_embedding: 'function', gorch_embedding_half: 'function', gorch_copy_strided: 'function', gorch_embedding_cols: 'function',
  gorch_conv2d: 'function', gorch_max_pool2d: 'function', gorch_linear_cols: 'function', gorch_gemm_ws: 'function', gorch_gemm_workspace_floats: 'function',
  gorch_vecmat_ld_f32: 'function', gorch_vecmat_ld_bf16: 'function', gorch_vecmat_ld_f16: 'function', gorch_linear: 'function', gorch_panel_pack: 'function',
  gorch_panel_unpack: 'function', gorch_panel_matvec: 'function', gorch_embedding_panels: 'function', gorch_widen: 'function', gorch_narrow_bf16: 'function',
  gorch_narrow_f16: 'function', gorch_attention_decode: 'function',
} as const satisfies Record<keyof KernelExports, WebAssembly.ImportExportKind>;

/** The imports the loader provides (kernel_module.ts); any other import cannot be linked. */
const PROVIDED_IMPORTS = new Set(['env.emscripten_notify_memory_growth:function', 'env.memory:memory']);

const tag = (v: unknown): string => Object.prototype.toString.call(v).slice(8, -1);

/** True for what `WebAssembly.compile` takes (a view of a SharedArrayBuffer included); realm-independent. */
export function isBufferSource(v: unknown): v is BufferSource | SharedArrayBuffer {
  return ArrayBuffer.isView(v) || tag(v) === 'ArrayBuffer' || tag(v) === 'SharedArrayBuffer';
}

/** How a wrong option value is named in errors. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return `a ${tag(v)}`;
  if (typeof v === 'function') return 'a function';
  return `the ${typeof v} ${String(v)}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * Throws `E_WASM_ARG` naming the option when `wasmBytes`, `wasmPaths` or `simd` has a type the loader
 * does not take (a plain array, a string or a number as `wasmBytes` used to be ignored silently).
 */
export function checkLoadOptions(opts: WasmLoadOptions, caller: string): void {
  const bad = (name: string, want: string, got: unknown): never => {
    throw new WasmKernelError('E_WASM_ARG', `${caller}: ${name} must be ${want}, got ${describeValue(got)}`);
  };
  const { wasmBytes, wasmPaths, simd } = opts;
  if (wasmBytes != null && !isBufferSource(wasmBytes)) {
    const want = 'an ArrayBuffer, a typed array or DataView of the .wasm bytes, or { simd, scalar, threads } of those';
    if (!isPlainObject(wasmBytes)) bad('wasmBytes', want, wasmBytes);
    for (const [k, v] of Object.entries(wasmBytes as Record<string, unknown>)) {
      if (!(k in WASM_FILES)) throw new WasmKernelError('E_WASM_ARG', `${caller}: wasmBytes has the key '${k}'; its keys are ${Object.keys(WASM_FILES).join(', ')}`);
      if (v != null && !isBufferSource(v)) bad(`wasmBytes.${k}`, 'an ArrayBuffer, a typed array or DataView of the .wasm bytes', v);
    }
  }
  if (wasmPaths != null && typeof wasmPaths !== 'string' && !(wasmPaths instanceof URL)) {
    const want = `a folder URL or path (string or URL), or an object mapping file names (${Object.values(WASM_FILES).join(', ')}) to URLs or paths`;
    if (!isPlainObject(wasmPaths)) bad('wasmPaths', want, wasmPaths);
    for (const [k, v] of Object.entries(wasmPaths as Record<string, unknown>)) {
      if (v != null && typeof v !== 'string' && !(v instanceof URL)) bad(`wasmPaths['${k}']`, 'a URL or path (string or URL)', v);
    }
  }
  if (wasmPaths === '') bad('wasmPaths', 'a folder URL or path', wasmPaths);
  if (simd != null && typeof simd !== 'boolean') bad('simd', 'true or false', simd);
}

function defaultUrl(file: string): URL {
  // Resolves to packages/kernels-wasm/wasm/ from both src/ and dist/; bundlers (Vite, webpack 5,
  // esbuild with the file loader) recognise this pattern and emit the asset.
  if (file === WASM_FILES.threads) return new URL('../wasm/gorch-kernels-simd-threads.wasm', import.meta.url);
  return file === WASM_FILES.simd
    ? new URL('../wasm/gorch-kernels-simd.wasm', import.meta.url)
    : new URL('../wasm/gorch-kernels.wasm', import.meta.url);
}

function locate(file: string, paths: WasmLoadOptions['wasmPaths']): string | URL {
  if (paths == null) return defaultUrl(file);
  if (typeof paths === 'string' || paths instanceof URL) {
    const base = String(paths);
    return base.endsWith('/') ? base + file : `${base}/${file}`;
  }
  const p = (paths as Record<string, string | URL | null | undefined>)[file];
  if (p == null) throw new WasmKernelError('E_WASM_LOAD', `wasmPaths has no entry for '${file}' (its keys: ${Object.keys(paths).join(', ') || 'none'})`);
  return p;
}

/** `e`'s message, with the message of its `cause` (fetch's "fetch failed" says nothing without it). */
function messageOf(e: unknown): string {
  const err = e as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const cause = err?.cause?.message ?? err?.cause?.code;
  return `${String(err?.message ?? e)}${cause !== undefined ? ` (${String(cause)})` : ''}`;
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
      throw new WasmKernelError('E_WASM_LOAD', `cannot read wasm module '${path}': ${(e as Error).message}`, { cause: e });
    }
  }
  try {
    const res = await fetch(href);
    if (!res.ok) throw new WasmKernelError('E_WASM_LOAD', `fetching wasm module '${href}' failed: HTTP ${res.status}`);
    return await res.arrayBuffer();
  } catch (e) {
    if (e instanceof WasmKernelError) throw e;
    // Refused connections, unknown hosts, CORS and dropped bodies all reject with a bare TypeError.
    throw new WasmKernelError('E_WASM_LOAD', `fetching wasm module '${href}' failed: ${messageOf(e)}`, { cause: e });
  }
}

/** The bytes `wasmBytes` gives for `kind` and their label, or null when the file is to be read. */
function givenBytes(given: WasmLoadOptions['wasmBytes'], kind: WasmBuild): { bytes: BufferSource; source: string } | null {
  if (given == null) return null;
  // V8's compile() rejects a SharedArrayBuffer and a DataView but takes a Uint8Array over either.
  const asSource = (b: BufferSource | SharedArrayBuffer): BufferSource => {
    if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength) as BufferSource;
    return tag(b) === 'SharedArrayBuffer' ? (new Uint8Array(b) as unknown as BufferSource) : (b as BufferSource);
  };
  if (isBufferSource(given)) return { bytes: asSource(given), source: 'wasmBytes' };
  const entry = (given as WasmBytesByBuild)[kind];
  return entry == null ? null : { bytes: asSource(entry), source: `wasmBytes.${kind}` };
}

/**
 * Throws `E_WASM_LOAD` unless `module` links against what the loader provides and exports what the
 * JS side calls (an empty module, another program, or another build of these kernels would
 * otherwise fail later with `_initialize is not a function`, a LinkError, or, the simd build in
 * the threads slot, kernels that compute on their own memory and return zeros).
 */
function checkKernelModule(module: WebAssembly.Module, kind: WasmBuild, source: string): void {
  const what = `${WASM_FILES[kind]} from ${source}`;
  const imports = WebAssembly.Module.imports(module);
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  const importsMemory = imports.some((i) => i.module === 'env' && i.name === 'memory' && i.kind === 'memory');
  if (kind === 'threads' && !importsMemory) {
    const own = exports.get('memory') === 'memory' ? '; they export a memory of their own, like the simd and scalar builds, so their kernels would not see the shared heap' : '';
    throw new WasmKernelError('E_WASM_LOAD', `${what}: these bytes are not the threads build, they do not import env.memory${own}`);
  }
  if (kind !== 'threads' && importsMemory) {
    throw new WasmKernelError('E_WASM_LOAD', `${what}: these bytes are the threads build (${WASM_FILES.threads}, which imports a shared env.memory); ${source.startsWith('wasmBytes') ? 'pass them as wasmBytes.threads' : `serve ${WASM_FILES[kind]} there`}`);
  }
  const foreign = imports.filter((i) => !PROVIDED_IMPORTS.has(`${i.module}.${i.name}:${i.kind}`)).map((i) => `${i.module}.${i.name} (${i.kind})`);
  if (foreign.length > 0) throw new WasmKernelError('E_WASM_LOAD', `${what} is not a gorch kernels module: it imports ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which the loader does not provide`);
  const missing = Object.entries(KERNEL_EXPORTS)
    .filter(([name, k]) => !(kind === 'threads' && name === 'memory') && exports.get(name) !== k)
    .map(([name]) => name);
  if (missing.length > 0) {
    const total = Object.keys(KERNEL_EXPORTS).length;
    throw new WasmKernelError('E_WASM_LOAD', `${what} is not a gorch kernels module of this version: ${missing.length} of the ${total} exports the kernels call are missing (${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''})`);
  }
}

/**
 * Resolves the module bytes, compiles them and checks that they are the gorch kernels build asked
 * for. Returns the module, whether it uses SIMD (read from the module: see {@link declaresV128}, so
 * the scalar build passed as `wasmBytes.simd` reports `false`) and where it came from. `build`
 * forces one build (`'threads'` for the shared-memory one); by default `opts.simd` or the SIMD probe
 * picks `'simd'` or `'scalar'`. Throws `E_WASM_ARG` for option values of the wrong type and
 * `E_WASM_LOAD`, naming the file and the bytes' source, when they cannot be read or compiled or are
 * not that build.
 */
export async function compileKernelModule(opts: WasmLoadOptions = {}, build?: WasmBuild): Promise<{ module: WebAssembly.Module; simd: boolean; source: string }> {
  opts ??= {};
  checkLoadOptions(opts, 'compileKernelModule');
  const canSimd = simdSupported();
  if ((opts.simd === true || build === 'threads' || build === 'simd') && !canSimd) throw new WasmKernelError('E_WASM_LOAD', 'a SIMD build was requested but this engine rejects WebAssembly SIMD');
  const kind: WasmBuild = build ?? ((opts.simd ?? canSimd) ? 'simd' : 'scalar');
  const file = WASM_FILES[kind];
  let bytes: BufferSource;
  let source: string;
  const given = givenBytes(opts.wasmBytes, kind);
  if (given !== null) {
    ({ bytes, source } = given);
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
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (e) {
    throw new WasmKernelError('E_WASM_LOAD', `compiling ${file} from ${source} failed: ${(e as Error).message}`, { cause: e });
  }
  checkKernelModule(module, kind, source);
  return { module, simd: declaresV128(bytes) ?? kind !== 'scalar', source };
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
