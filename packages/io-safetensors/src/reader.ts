import { SafetensorsError } from './errors.js';
import { decodeBf16, decodeF16 } from './float16.js';
import { parseSafetensorsHeader, readHeaderSize, type SafetensorsHeader, type TensorInfo } from './header.js';
import type { SafetensorsFile, Tensor } from './parse.js';
import { toSource, type ByteSource, type SourceLike } from './source.js';
import { typedView } from './view.js';

/** Options of `loadSafetensors` and `SafetensorsReader.get`. */
export interface ReadOptions {
  /**
   * Decode F16 and BF16 tensors to float32 while reading (exactly; see `toFloat32`): the tensor then
   * has dtype `'F32'` and a Float32Array. Other dtypes are untouched. Default false.
   */
  toFloat32?: boolean;
}

/** Lazy access to a safetensors file (or a sharded checkpoint): the header now, tensors on demand. */
export interface SafetensorsReader {
  /** Tensor name → `{ dtype, shape, data_offsets }` (offsets into the tensor's own file's data). */
  readonly header: Record<string, TensorInfo>;
  /** The `__metadata__` map (for a sharded checkpoint, the union of the shards' maps). */
  readonly metadata: Record<string, string>;
  /** Tensor names in file order. */
  keys(): string[];
  /** True when `name` is a tensor of the file. */
  has(name: string): boolean;
  /** Reads only `name`'s bytes. @throws SafetensorsError TensorNotFound, or IoError / MetadataIncompleteBuffer if the source fails or ends early. */
  get(name: string, options?: ReadOptions): Promise<Tensor>;
  /** Closes the underlying file(s). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Reads and validates only the header: 8 bytes, then N bytes. With a source of known size the
 * data section must end exactly at the end (trailing bytes / truncation are errors).
 * @throws SafetensorsError as `parseSafetensorsHeader`.
 */
export async function readSafetensorsHeader(source: SourceLike): Promise<SafetensorsHeader> {
  return readHeaderFrom(toSource(source));
}

async function readHeaderFrom(src: ByteSource): Promise<SafetensorsHeader> {
  const prefix = await src.read(0, src.size === undefined ? 8 : Math.min(8, src.size));
  const n = readHeaderSize(prefix, src.size);
  const json = await src.read(8, n);
  if (json.length < n) throw new SafetensorsError('InvalidHeaderLength', `header size ${n} runs past the end of the source`);
  const head = new Uint8Array(8 + n);
  head.set(prefix.subarray(0, 8));
  head.set(json, 8);
  return parseSafetensorsHeader(head, src.size);
}

/** Reads exactly `length` bytes at `offset` (looping over short reads); a source that ends early is a truncated file. */
export async function readExactly(src: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const first = await src.read(offset, length);
  if (first.length === length) return first;
  const out = new Uint8Array(length);
  out.set(first);
  let got = first.length;
  while (got < length) {
    const more = await src.read(offset + got, length - got);
    if (more.length === 0) {
      throw new SafetensorsError('MetadataIncompleteBuffer', `file is truncated: needed ${length} bytes at offset ${offset}, got ${got}`);
    }
    out.set(more, got);
    got += more.length;
  }
  return out;
}

const DECODE_CHUNK = 1 << 22;

/** Reads one tensor described by `info` from a source whose data section starts at `dataOffset`. */
export async function readTensor(src: ByteSource, dataOffset: number, info: TensorInfo, options: ReadOptions = {}): Promise<Tensor> {
  const [begin, end] = info.data_offsets;
  const shape = [...info.shape];
  if (options.toFloat32 && (info.dtype === 'F16' || info.dtype === 'BF16')) {
    // Decode chunk by chunk so the raw half-precision bytes never exist in full beside the output.
    const out = new Float32Array((end - begin) / 2);
    const decode = info.dtype === 'F16' ? decodeF16 : decodeBf16;
    for (let at = begin; at < end; at += DECODE_CHUNK) {
      const len = Math.min(DECODE_CHUNK, end - at);
      const bits = typedView('F16', await readExactly(src, dataOffset + at, len)) as Uint16Array;
      decode(bits, out.subarray((at - begin) / 2, (at - begin + len) / 2));
    }
    return { dtype: 'F32', shape, data: out };
  }
  const bytes = await readExactly(src, dataOffset + begin, end - begin);
  return { dtype: info.dtype, shape, data: typedView(info.dtype, bytes) };
}

/**
 * Opens a safetensors source lazily: reads and validates the header, then `get(name)` reads only
 * that tensor's bytes. Close it when done (or `await using`).
 */
export async function openSafetensors(source: SourceLike): Promise<SafetensorsReader> {
  const src = toSource(source);
  let h: SafetensorsHeader;
  try {
    h = await readHeaderFrom(src);
  } catch (e) {
    await src.close?.();
    throw e;
  }
  return readerOver(h, (name) => ({ src, dataOffset: h.dataOffset, info: h.header[name]! }), () => src.close?.() ?? Promise.resolve());
}

/** Builds a reader over headers already validated; `locate` maps a known name to where it lives. */
export function readerOver(
  h: Pick<SafetensorsHeader, 'header' | 'metadata' | 'names'>,
  locate: (name: string) => { src: ByteSource; dataOffset: number; info: TensorInfo },
  close: () => Promise<void>,
): SafetensorsReader {
  const has = (name: string) => Object.prototype.hasOwnProperty.call(h.header, name);
  return {
    header: h.header,
    metadata: h.metadata,
    keys: () => [...h.names],
    has,
    async get(name, options) {
      if (!has(name)) throw new SafetensorsError('TensorNotFound', `no tensor named ${JSON.stringify(name)}`, { tensor: name });
      const { src, dataOffset, info } = locate(name);
      return readTensor(src, dataOffset, info, options);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Loads every tensor of a source: the header first, then the tensors one at a time, each into its
 * own buffer (no second copy of the file is ever held). See `ReadOptions.toFloat32`.
 */
export async function loadSafetensors(source: SourceLike, options: ReadOptions = {}): Promise<SafetensorsFile> {
  const reader = await openSafetensors(source);
  try {
    return await loadAll(reader, options);
  } finally {
    await reader.close();
  }
}

/** Reads every tensor of an open reader, in file order. */
export async function loadAll(reader: SafetensorsReader, options: ReadOptions): Promise<SafetensorsFile> {
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const name of reader.keys()) tensors[name] = await reader.get(name, options);
  return { header: reader.header, metadata: reader.metadata, tensors };
}
