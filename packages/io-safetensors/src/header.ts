import { DTYPES, isDtype, type Dtype } from './dtype.js';
import { SafetensorsError } from './errors.js';
import { JsonNumber, parseJson, type JsonValue } from './json.js';

/**
 * Largest header accepted, in bytes: the reference's `MAX_HEADER_SIZE` (100,000,000). Checked
 * against the 8-byte prefix before anything is allocated or read.
 */
export const MAX_HEADER_SIZE = 100_000_000;

/** One header entry: dtype, row-major shape, and [begin, end) byte offsets into the data section. */
export interface TensorInfo {
  dtype: Dtype;
  shape: number[];
  data_offsets: [number, number];
}

/** A parsed and validated header. */
export interface SafetensorsHeader {
  /** Tensor name → info (a null-prototype object, so any name, even `__proto__`, is plain data). */
  header: Record<string, TensorInfo>;
  /** Tensor names in file (offset) order. */
  names: string[];
  /** The `__metadata__` string → string map, `{}` when absent (null-prototype). */
  metadata: Record<string, string>;
  /** N, the header length in bytes (from the 8-byte prefix; includes the padding). */
  headerSize: number;
  /** Where the data section starts in the file: 8 + N. */
  dataOffset: number;
  /** Bytes in the data section: the last tensor's end offset. */
  dataSize: number;
  /** The exact file size this header describes: 8 + N + dataSize. */
  byteLength: number;
}

/**
 * Reads N from the first 8 bytes (u64 little-endian) and checks it against {@link MAX_HEADER_SIZE}
 * and, when known, the file size. Throws HeaderTooSmall, HeaderTooLarge or InvalidHeaderLength.
 */
export function readHeaderSize(prefix: Uint8Array, fileSize?: number): number {
  if (prefix.length < 8) {
    throw new SafetensorsError('HeaderTooSmall', `file has ${prefix.length} bytes, fewer than the 8-byte header size`);
  }
  const dv = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  if (hi !== 0 || lo > MAX_HEADER_SIZE) {
    const n = hi * 2 ** 32 + lo;
    throw new SafetensorsError('HeaderTooLarge', `header size ${n} is over the limit of ${MAX_HEADER_SIZE} bytes`);
  }
  if (fileSize !== undefined && 8 + lo > fileSize) {
    throw new SafetensorsError('InvalidHeaderLength', `header size ${lo} runs past the end of the ${fileSize}-byte file`);
  }
  return lo;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses and validates a header from the start of a file.
 *
 * @param bytes at least the first 8 + N bytes of the file (more is fine and is not read).
 * @param fileSize the total file size when known: then the data section must end exactly at the
 *   file's end (MetadataIncompleteBuffer otherwise). Omit it when only a prefix is at hand.
 * @throws SafetensorsError HeaderTooSmall, HeaderTooLarge, InvalidHeaderLength, InvalidHeader,
 *   InvalidHeaderStart, InvalidHeaderDeserialization, InvalidOffset, ValidationOverflow,
 *   MisalignedSlice, TensorInvalidInfo, MetadataIncompleteBuffer — the reference's checks, in its order.
 */
export function parseSafetensorsHeader(bytes: Uint8Array, fileSize?: number): SafetensorsHeader {
  const n = readHeaderSize(bytes, fileSize);
  if (8 + n > bytes.length) {
    throw new SafetensorsError('InvalidHeaderLength', `header size ${n} runs past the ${bytes.length} bytes available`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes.subarray(8, 8 + n));
  } catch (cause) {
    throw new SafetensorsError('InvalidHeader', 'header is not valid UTF-8', { cause });
  }
  if (text.charCodeAt(0) !== 0x7b) throw new SafetensorsError('InvalidHeaderStart', "header does not start with '{'");
  const root = parseJson(text);
  if (!(root instanceof Map)) throw bad('header is not a JSON object');

  const header: Record<string, TensorInfo> = Object.create(null);
  let metadata: Record<string, string> = Object.create(null);
  const entries: [string, TensorInfo][] = [];
  for (const [name, value] of root) {
    if (name === '__metadata__') metadata = readMetadata(value);
    else entries.push([name, readTensorInfo(name, value)]);
  }
  // Offsets order the data; the JSON key order is free (older writers sorted by name only).
  entries.sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0] || a.data_offsets[1] - b.data_offsets[1]);
  let start = 0;
  for (const [name, info] of entries) {
    const [begin, end] = info.data_offsets;
    if (begin !== start || end < begin) {
      const why = begin > end ? 'begin > end' : begin < start ? `overlaps the previous tensor (ends at ${start})` : start === 0 ? 'data does not start at offset 0' : `leaves a gap after offset ${start}`;
      throw new SafetensorsError('InvalidOffset', `tensor ${JSON.stringify(name)} has data_offsets [${begin}, ${end}]: ${why}`, { tensor: name });
    }
    start = end;
    const nbytes = byteSize(name, info.dtype, info.shape);
    if (nbytes !== end - begin) {
      throw new SafetensorsError(
        'TensorInvalidInfo',
        `tensor ${JSON.stringify(name)}: ${info.dtype}[${info.shape}] needs ${nbytes} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
        { tensor: name },
      );
    }
    header[name] = info;
  }
  const byteLength = 8 + n + start;
  if (fileSize !== undefined && byteLength !== fileSize) {
    throw new SafetensorsError(
      'MetadataIncompleteBuffer',
      fileSize > byteLength
        ? `${fileSize - byteLength} trailing bytes after the last tensor (header describes ${byteLength} bytes)`
        : `file is truncated: ${fileSize} bytes, header describes ${byteLength}`,
    );
  }
  return { header, names: entries.map(([name]) => name), metadata, headerSize: n, dataOffset: 8 + n, dataSize: start, byteLength };
}

/**
 * Bytes taken by `shape` elements of `dtype`. Throws ValidationOverflow past 2^53 − 1 and
 * MisalignedSlice when a sub-byte dtype does not fill whole bytes.
 */
export function byteSize(name: string, dtype: Dtype, shape: readonly number[]): number {
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (count > Number.MAX_SAFE_INTEGER) {
      throw new SafetensorsError('ValidationOverflow', `tensor ${JSON.stringify(name)}: shape [${shape}] overflows`, { tensor: name });
    }
  }
  const bits = count * DTYPES[dtype].bits;
  if (bits > Number.MAX_SAFE_INTEGER) {
    throw new SafetensorsError('ValidationOverflow', `tensor ${JSON.stringify(name)}: ${dtype}[${shape}] overflows`, { tensor: name });
  }
  if (bits % 8 !== 0) {
    throw new SafetensorsError('MisalignedSlice', `tensor ${JSON.stringify(name)}: ${count} ${dtype} elements do not fill whole bytes`, { tensor: name });
  }
  return bits / 8;
}

function bad(message: string, tensor?: string): SafetensorsError {
  return new SafetensorsError('InvalidHeaderDeserialization', message, { tensor });
}

function readMetadata(value: JsonValue): Record<string, string> {
  if (!(value instanceof Map)) throw bad('__metadata__ is not an object');
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of value) {
    if (typeof v !== 'string') throw bad(`__metadata__[${JSON.stringify(k)}] is not a string`);
    out[k] = v;
  }
  return out;
}

function readTensorInfo(name: string, value: JsonValue): TensorInfo {
  const q = JSON.stringify(name);
  if (!(value instanceof Map)) throw bad(`tensor ${q} is not an object`, name);
  const dtype = value.get('dtype');
  if (typeof dtype !== 'string') throw bad(`tensor ${q} has no string "dtype"`, name);
  if (!isDtype(dtype)) throw bad(`tensor ${q} has unknown dtype ${JSON.stringify(dtype)}`, name);
  const shape = uintArray(name, 'shape', value.get('shape'));
  const offsets = uintArray(name, 'data_offsets', value.get('data_offsets'));
  if (offsets.length !== 2) throw bad(`tensor ${q}: "data_offsets" must be [begin, end]`, name);
  return { dtype, shape, data_offsets: [offsets[0]!, offsets[1]!] };
}

function uintArray(name: string, field: string, value: JsonValue | undefined): number[] {
  const q = JSON.stringify(name);
  if (!Array.isArray(value)) throw bad(`tensor ${q} has no array "${field}"`, name);
  return value.map((v) => {
    if (typeof v === 'number') return v;
    if (v instanceof JsonNumber && /^[0-9]+$/.test(v.text)) {
      throw new SafetensorsError('ValidationOverflow', `tensor ${q}: ${field} value ${v.text} is over 2^53 - 1`, { tensor: name });
    }
    throw bad(`tensor ${q}: "${field}" must hold non-negative integers`, name);
  });
}
