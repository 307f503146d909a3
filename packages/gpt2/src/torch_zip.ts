import { unzipSync } from 'fflate';
import { decodeBf16, decodeF16 } from '@gorch/io-safetensors';
import { CheckpointError, PickleError } from './errors';
import { numel, type HostTensor } from './host_tensor';
import { preview, unpickle, type PickleGlobal } from './pickle';

/**
 * Reader for `torch.save` zip archives (`pytorch_model.bin` since PyTorch 1.6): `<prefix>/data.pkl`
 * is a pickled state dict whose tensors point, through persistent ids, at raw little-endian storages
 * `<prefix>/data/<key>`. Source: PyTorch `torch/serialization.py` (`_save`, `_load`) and
 * `torch/_utils.py` (`_rebuild_tensor_v2`).
 */

interface StorageType { readonly dtype: string; readonly bytes: number }
interface StorageRef { readonly kind: 'storage'; readonly type: StorageType; readonly key: string; readonly numel: number }
interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  readonly offset: number;
  readonly size: number[];
  readonly stride: number[];
}

const STORAGE_TYPES: Record<string, StorageType> = {
  FloatStorage: { dtype: 'float32', bytes: 4 },
  DoubleStorage: { dtype: 'float64', bytes: 8 },
  HalfStorage: { dtype: 'float16', bytes: 2 },
  BFloat16Storage: { dtype: 'bfloat16', bytes: 2 },
  LongStorage: { dtype: 'int64', bytes: 8 },
  IntStorage: { dtype: 'int32', bytes: 4 },
  ShortStorage: { dtype: 'int16', bytes: 2 },
  CharStorage: { dtype: 'int8', bytes: 1 },
  ByteStorage: { dtype: 'uint8', bytes: 1 },
  BoolStorage: { dtype: 'bool', bytes: 1 },
};

function intList(v: unknown, what: string, src: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
    throw new PickleError(`${src}: ${what} must be a tuple of non-negative integers, got ${preview(v)}`);
  }
  return v as number[];
}

function isTensorRef(v: unknown): v is TensorRef {
  return typeof v === 'object' && v !== null && (v as TensorRef).kind === 'tensor';
}

/** The only globals a state dict needs; everything else in a pickle is refused. */
function torchGlobals(src: string): Map<string, PickleGlobal> {
  const g = new Map<string, PickleGlobal>();
  const add = (name: string, call: (args: unknown[]) => unknown) => g.set(name, { name, call });
  const rebuild = (args: unknown[]): TensorRef => {
    const [storage, offset, size, stride] = args;
    if (typeof storage !== 'object' || storage === null || (storage as StorageRef).kind !== 'storage') {
      throw new PickleError(`${src}: _rebuild_tensor_v2 without a storage`);
    }
    const sz = intList(size, 'tensor size', src);
    const st = intList(stride, 'tensor stride', src);
    if (st.length !== sz.length || typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
      throw new PickleError(`${src}: _rebuild_tensor_v2 with inconsistent size/stride/offset`);
    }
    return { kind: 'tensor', storage: storage as StorageRef, offset, size: sz, stride: st };
  };
  add('torch._utils._rebuild_tensor_v2', rebuild);
  add('torch._utils._rebuild_tensor', rebuild);
  add('torch._utils._rebuild_parameter', (a) => a[0]);
  add('torch._utils._rebuild_parameter_with_state', (a) => a[0]);
  add('collections.OrderedDict', (a) => {
    if (a.length > 0) throw new PickleError(`${src}: OrderedDict called with arguments`);
    return new Map();
  });
  for (const [name, type] of Object.entries(STORAGE_TYPES)) add(`torch.${name}`, () => type);
  return g;
}

/**
 * Returns `i -> value` reading element i of a float64 or integer storage as a JS number (exact for
 * integers; float64 is rounded to float32 when stored). Float32 / float16 / bfloat16 storages never
 * come here: see {@link widenFloat}.
 */
function storageView(type: StorageType, bytes: Uint8Array, src: string): (i: number) => number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type.dtype) {
    case 'float64': return (i) => dv.getFloat64(8 * i, true);
    case 'int64': return (i) => {
      const v = dv.getBigInt64(8 * i, true);
      if (v < -2147483648n || v > 2147483647n) throw new CheckpointError(`${src}: int64 value ${v} does not fit int32`);
      return Number(v);
    };
    case 'int32': return (i) => dv.getInt32(4 * i, true);
    case 'int16': return (i) => dv.getInt16(2 * i, true);
    case 'int8': return (i) => dv.getInt8(i);
    default: return (i) => dv.getUint8(i); // uint8, bool
  }
}

/** Fills `out` with the elements of the strided tensor `t` in row-major order, `read(storage index)` each. */
function gather(out: Float32Array | Int32Array | Uint16Array, read: (i: number) => number, t: TensorRef): void {
  const { offset, size, stride } = t;
  const idx = new Array<number>(size.length).fill(0);
  let pos = offset;
  for (let i = 0; i < out.length; i++) {
    out[i] = read(pos);
    for (let d = size.length - 1; d >= 0; d--) {
      idx[d]++;
      pos += stride[d];
      if (idx[d] < size[d]) break;
      pos -= stride[d] * size[d];
      idx[d] = 0;
    }
  }
}

/**
 * A float32, float16 or bfloat16 tensor as float32 with exactly the bits torch's `.float()` gives:
 * elements are read as integer codes, never as JS numbers (which would turn a signalling NaN such as
 * 0x7f800001 quiet), then float16 is widened by io-safetensors' exact decoder (NaN sign and payload
 * kept) and bfloat16 becomes its bits << 16.
 */
function widenFloat(dtype: string, bytes: Uint8Array, t: TensorRef, contiguous: boolean): Float32Array {
  const n = numel(t.size);
  const width = dtype === 'float32' ? 4 : 2;
  const start = bytes.byteOffset + width * t.offset;
  // fflate hands back a fresh buffer (byteOffset 0) per entry, so a contiguous tensor is usually aligned
  const aligned = contiguous && start % width === 0;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'float32') {
    if (aligned) return new Float32Array(bytes.buffer.slice(start, start + 4 * n)); // a copy: the storage is cached
    const out = new Int32Array(n);
    gather(out, (i) => dv.getInt32(4 * i, true), t);
    return new Float32Array(out.buffer);
  }
  let codes: Uint16Array;
  if (aligned) codes = new Uint16Array(bytes.buffer, start, n);
  else gather((codes = new Uint16Array(n)), (i) => dv.getUint16(2 * i, true), t);
  return dtype === 'float16' ? decodeF16(codes) : decodeBf16(codes);
}

function materialize(name: string, t: TensorRef, bytes: Uint8Array, src: string): HostTensor {
  const { storage, offset, size, stride } = t;
  const available = Math.floor(bytes.length / storage.type.bytes);
  const n = numel(size);
  // checked before allocating: only zero strides let a tensor have more elements than its storage,
  // and such an expanded tensor (never in a state dict) would be a free multi-GB allocation
  if (n > available) {
    throw new CheckpointError(`${src}: tensor "${name}" (shape [${size.join(', ')}], stride [${stride.join(', ')}]) has ${n} elements but its storage holds ${available}${stride.includes(0) ? '; expanded (zero-stride) tensors larger than their storage are not supported' : ''}`);
  }
  if (n > 0) {
    let last = offset;
    for (let d = 0; d < size.length; d++) last += (size[d] - 1) * stride[d];
    if (last >= available) {
      throw new CheckpointError(`${src}: tensor "${name}" (shape [${size.join(', ')}], offset ${offset}) reads element ${last} of a storage of ${available}`);
    }
  }
  const { dtype } = storage.type;
  const isFloat = dtype.startsWith('float') || dtype === 'bfloat16';
  if (n === 0) return { shape: size, data: isFloat ? new Float32Array(0) : new Int32Array(0) };
  const contiguous = size.every((_, d) => stride[d] === size.slice(d + 1).reduce((a, b) => a * b, 1));
  if (dtype === 'float32' || dtype === 'float16' || dtype === 'bfloat16') return { shape: size, data: widenFloat(dtype, bytes, t, contiguous) };
  const out = isFloat ? new Float32Array(n) : new Int32Array(n);
  gather(out, storageView(storage.type, bytes, src), t);
  return { shape: size, data: out };
}

/** A `torch.save` archive whose tensors are decoded on demand. */
export interface TorchZip {
  /** State-dict keys that hold tensors, in pickle order. */
  keys(): string[];
  /** Shape of a tensor (known without decoding it), or undefined. */
  shape(key: string): number[] | undefined;
  /** The dtype of a tensor's storage (`'float32'` for FloatStorage, `'bfloat16'`, `'float16'`, `'int64'`...), or undefined. */
  dtype(key: string): string | undefined;
  /**
   * Decodes one tensor (float dtypes -> float32, integer / bool -> int32).
   * @throws CheckpointError when it reads past its storage, or has more elements than its storage
   *   (an expanded, zero-stride tensor: refused rather than materialized)
   */
  read(key: string): HostTensor;
}

/** What the central directory says about one entry (nothing is decompressed to learn it). */
interface ZipEntry { readonly name: string; readonly originalSize: number }

/** Largest `data.pkl` accepted: a state dict's pickle is kilobytes per thousand tensors. */
export const MAX_PICKLE_BYTES = 256 * 2 ** 20;

function listEntries(bytes: Uint8Array, source: string): Map<string, ZipEntry> {
  const out = new Map<string, ZipEntry>();
  try {
    unzipSync(bytes, { filter: (f) => { out.set(f.name, { name: f.name, originalSize: f.originalSize }); return false; } });
  } catch (e) {
    throw new CheckpointError(`${source}: not a torch.save zip archive (${(e as Error).message}); legacy non-zip torch files are not supported`);
  }
  return out;
}

/** Inflates one entry, whose declared size the caller has already checked. */
function inflateEntry(bytes: Uint8Array, entry: ZipEntry, source: string): Uint8Array {
  let data: Uint8Array | undefined;
  try {
    data = unzipSync(bytes, { filter: (f) => f.name === entry.name })[entry.name];
  } catch (e) {
    throw new CheckpointError(`${source}: cannot decompress ${entry.name} (${(e as Error).message})`);
  }
  if (data?.length !== entry.originalSize) {
    throw new CheckpointError(`${source}: ${entry.name} holds ${data?.length ?? 0} bytes, its zip header declares ${entry.originalSize} (truncated file?)`);
  }
  return data;
}

/**
 * Opens a `torch.save` zip archive holding a (possibly nested under `state_dict`) dict of tensors.
 * Only `data.pkl` is decompressed and unpickled (allow-list only) here; each `data/<key>` storage is
 * inflated when {@link TorchZip.read} needs it, and other entries never are (a zip bomb beside the
 * state dict costs nothing). Every storage the pickle references must exist, with a declared size of
 * exactly `numel * element size` bytes, checked before anything is inflated. Honours storage
 * offsets and arbitrary strides. Non-tensor values (e.g. a version number) are skipped.
 *
 * @param bytes the whole file
 * @param source file name for errors
 * @throws CheckpointError (not a zip, no `data.pkl` or one over {@link MAX_PICKLE_BYTES},
 *   big-endian, a missing storage entry or one whose size disagrees with the pickle), PickleError
 *   (malformed pickle, or a global outside the allow-list: nothing is executed)
 */
export function openTorchZip(bytes: Uint8Array, source: string): TorchZip {
  const entries = listEntries(bytes, source);
  const pkl = [...entries.keys()].filter((k) => k.endsWith('data.pkl') && k.split('/').length <= 2);
  if (pkl.length !== 1) throw new CheckpointError(`${source}: expected one <name>/data.pkl in the archive, found ${pkl.length}`);
  const pklEntry = entries.get(pkl[0])!;
  if (pklEntry.originalSize > MAX_PICKLE_BYTES) {
    throw new CheckpointError(`${source}: ${pkl[0]} declares ${pklEntry.originalSize} bytes, more than the ${MAX_PICKLE_BYTES} a state dict needs`);
  }
  const prefix = pkl[0].slice(0, -'data.pkl'.length);
  const orderEntry = entries.get(`${prefix}byteorder`);
  if (orderEntry && (orderEntry.originalSize > 16 || new TextDecoder().decode(inflateEntry(bytes, orderEntry, source)).trim() !== 'little')) {
    throw new CheckpointError(`${source}: big-endian archives are not supported`);
  }
  const storages = new Map<string, StorageRef>();
  const root = unpickle(inflateEntry(bytes, pklEntry, source), {
    source: `${source}:${pkl[0]}`,
    globals: torchGlobals(source),
    persistentLoad: (pid) => {
      if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) throw new PickleError(`${source}: unknown persistent id ${preview(pid)}`);
      const [, global, key, , n] = pid as [string, PickleGlobal | undefined, unknown, unknown, unknown];
      // the storage class arrives as the allow-listed global itself (pickled by reference, not called)
      const type = (typeof global?.call === 'function' ? global.call([]) : undefined) as StorageType | undefined;
      if (typeof type?.bytes !== 'number' || typeof key !== 'string' || typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
        throw new PickleError(`${source}: malformed storage id ${preview(pid)}`);
      }
      if (!storages.has(key)) storages.set(key, { kind: 'storage', type, key, numel: n });
      return storages.get(key);
    },
  });
  let dict = root;
  if (dict instanceof Map && !Array.from(dict.values()).some(isTensorRef) && dict.get('state_dict') instanceof Map) {
    dict = dict.get('state_dict');
  }
  if (!(dict instanceof Map)) throw new CheckpointError(`${source}: the pickle does not hold a state dict`);
  const refs = new Map<string, TensorRef>();
  for (const [k, v] of dict) if (typeof k === 'string' && isTensorRef(v)) refs.set(k, v);
  const storageEntry = new Map<string, ZipEntry>();
  for (const [name, { storage }] of refs) {
    const path = `${prefix}data/${storage.key}`;
    const entry = entries.get(path);
    if (!entry) throw new CheckpointError(`${source}: tensor "${name}" points at missing zip entry ${path}`);
    const want = storage.numel * storage.type.bytes;
    if (entry.originalSize !== want) {
      throw new CheckpointError(`${source}: ${path} declares ${entry.originalSize} bytes but the pickle says its storage is ${storage.numel} ${storage.type.dtype} (${want} bytes)`);
    }
    storageEntry.set(storage.key, entry);
  }
  // tensors of one storage (a tied head, views) are usually read one after another
  let cached: { key: string; bytes: Uint8Array } | undefined;
  const storageBytes = (key: string): Uint8Array => {
    if (cached?.key !== key) cached = { key, bytes: inflateEntry(bytes, storageEntry.get(key)!, source) };
    return cached.bytes;
  };
  return {
    keys: () => [...refs.keys()],
    shape: (key) => (refs.has(key) ? [...refs.get(key)!.size] : undefined),
    dtype: (key) => refs.get(key)?.storage.type.dtype,
    read: (key) => {
      const ref = refs.get(key);
      if (!ref) throw new CheckpointError(`${source}: no tensor "${key}"`);
      return materialize(key, ref, storageBytes(ref.storage.key), source);
    },
  };
}

/**
 * Reads every tensor of a `torch.save` zip archive (see {@link openTorchZip}).
 *
 * @param keep which state-dict keys to decode (default all)
 * @throws CheckpointError, PickleError (see {@link openTorchZip}); CheckpointError for a tensor
 *   that reads past its storage or an int64 value outside int32
 */
export function readTorchZip(bytes: Uint8Array, source: string, keep: (key: string) => boolean = () => true): Map<string, HostTensor> {
  const zip = openTorchZip(bytes, source);
  return new Map(zip.keys().filter(keep).map((k) => [k, zip.read(k)]));
}
