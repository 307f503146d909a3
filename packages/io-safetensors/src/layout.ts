import { DTYPES, dtypeOfArray, isDtype, type Dtype } from './dtype.js';
import { SafetensorsError } from './errors.js';
import { byteSize } from './header.js';
import { fileBytes } from './view.js';

/**
 * A tensor handed to the writer. `data` is the dtype's typed array (see `DTYPES`; F16/BF16 as raw
 * bits in a `Uint16Array`) or its raw little-endian bytes as a `Uint8Array`. `dtype` defaults to the
 * typed array's natural dtype (Float32Array → F32, Uint16Array → U16, ...).
 */
export interface TensorInput {
  dtype?: Dtype;
  shape: readonly number[];
  data: ArrayBufferView;
}

/** Tensors to write: a plain object or a Map, name → tensor. */
export type TensorsInput = Record<string, TensorInput> | Map<string, TensorInput>;

/** The file layout the reference writer would produce: header bytes and tensor bytes in order. */
export interface Layout {
  /** The 8-byte size prefix followed by the space-padded JSON header. */
  head: Uint8Array;
  /** Tensor bytes in file order (descending dtype alignment, then name). */
  chunks: Uint8Array[];
  /** Total file size. */
  byteLength: number;
}

/**
 * Lays out tensors as huggingface/safetensors `serialize` does: sorted by dtype alignment
 * (descending, the reference enum order) then by name (byte order of UTF-8); header is compact JSON
 * with `__metadata__` first (omitted when empty), then tensors in data order; padded with spaces to
 * a multiple of 8 bytes so every tensor starts aligned to its element size.
 * @throws SafetensorsError InvalidTensorView (bad name, dtype, shape, or data length) or JsonError
 *   (metadata not a string → string map).
 */
export function planLayout(tensors: TensorsInput, metadata?: Record<string, string>): Layout {
  const items: { name: string; dtype: Dtype; shape: number[]; bytes: Uint8Array }[] = [];
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  for (const [name, t] of entries) items.push(checkTensor(name, t));
  items.sort((a, b) => DTYPES[b.dtype].rank - DTYPES[a.dtype].rank || compareCodePoints(a.name, b.name));

  let json = '{';
  const metaEntries = metadata === undefined ? [] : Object.entries(checkMetadata(metadata));
  if (metaEntries.length > 0) {
    json += '"__metadata__":{' + metaEntries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',') + '}';
  }
  let offset = 0;
  for (const t of items) {
    if (json.length > 1) json += ',';
    const end = offset + t.bytes.byteLength;
    json += `${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`;
    offset = end;
  }
  json += '}';
  const text = new TextEncoder().encode(json);
  const n = Math.ceil(text.length / 8) * 8;
  const head = new Uint8Array(8 + n);
  const dv = new DataView(head.buffer);
  dv.setUint32(0, n % 2 ** 32, true);
  dv.setUint32(4, Math.floor(n / 2 ** 32), true);
  head.set(text, 8);
  head.fill(0x20, 8 + text.length);
  return { head, chunks: items.map((t) => t.bytes), byteLength: head.length + offset };
}

function checkTensor(name: string, t: TensorInput): { name: string; dtype: Dtype; shape: number[]; bytes: Uint8Array } {
  const q = JSON.stringify(name);
  const fail = (why: string) => new SafetensorsError('InvalidTensorView', `tensor ${q}: ${why}`, { tensor: name });
  if (name === '__metadata__') throw fail('"__metadata__" is reserved for the metadata map');
  if (/\p{Cs}/u.test(name)) throw fail('name has an unpaired UTF-16 surrogate');
  if (t === null || typeof t !== 'object') throw fail('expected { dtype, shape, data }');
  if (!ArrayBuffer.isView(t.data) || t.data instanceof DataView) throw fail('data must be a typed array');
  const dtype = t.dtype ?? dtypeOfArray(t.data);
  if (!isDtype(dtype)) throw fail(`unknown dtype ${JSON.stringify(dtype)}`);
  if (!(t.data instanceof Uint8Array) && !(t.data instanceof DTYPES[dtype].array)) {
    throw fail(`${dtype} data must be a ${DTYPES[dtype].array.name} or raw bytes in a Uint8Array, got ${t.data.constructor.name}`);
  }
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw fail('shape must be an array of non-negative integers');
  }
  const shape = [...t.shape];
  let nbytes: number;
  try {
    nbytes = byteSize(name, dtype, shape);
  } catch (e) {
    throw fail((e as Error).message);
  }
  if (t.data.byteLength !== nbytes) throw fail(`${dtype}[${shape}] needs ${nbytes} bytes, data has ${t.data.byteLength}`);
  return { name, dtype, shape, bytes: fileBytes(t.data) };
}

function checkMetadata(metadata: Record<string, string>): Record<string, string> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new SafetensorsError('JsonError', 'metadata must be a string → string object');
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new SafetensorsError('JsonError', `metadata[${JSON.stringify(k)}] is not a string`);
    if (/\p{Cs}/u.test(k) || /\p{Cs}/u.test(v)) {
      throw new SafetensorsError('JsonError', `metadata[${JSON.stringify(k)}] has an unpaired UTF-16 surrogate`);
    }
  }
  return metadata;
}

/** Orders strings by Unicode code point, i.e. by their UTF-8 bytes, as Rust's `str` ordering does. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (≥ U+10000) sorts after every BMP code unit, including U+E000..U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
