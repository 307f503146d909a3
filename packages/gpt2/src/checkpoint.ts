import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openSafetensors } from '@gorch/io-safetensors';
import { CheckpointError } from './errors';
import type { HostTensor } from './host_tensor';
import type { CheckpointDtype } from './load_options';
import { openTorchZip, type TorchZip } from './torch_zip';

/** Weight files looked for in a checkpoint folder, in this order (what `from_pretrained` prefers). */
export const WEIGHT_FILES = ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'] as const;

/**
 * Finds the weights of a Hugging Face checkpoint. `path` is a folder (searched for
 * {@link WEIGHT_FILES}) or one of those files.
 *
 * @returns `{ dir, file }` with `file` an absolute path
 * @throws CheckpointError when nothing usable is there
 */
export function findWeights(path: string): { dir: string; file: string } {
  if (!existsSync(path)) throw new CheckpointError(`${path}: no such file or folder`);
  if (statSync(path).isFile()) return { dir: dirname(path), file: path };
  for (const f of WEIGHT_FILES) {
    if (existsSync(join(path, f))) return { dir: path, file: join(path, f) };
  }
  throw new CheckpointError(`${path}: no ${WEIGHT_FILES.join(', ')} in this folder`);
}

function toHost(name: string, shape: number[], data: ArrayLike<number | bigint>, file: string): HostTensor {
  if (data instanceof Float32Array) return { shape, data };
  if (data instanceof Float64Array) return { shape, data: Float32Array.from(data) };
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new CheckpointError(`${file}: tensor "${name}" has values outside int32`);
    out[i] = v;
  }
  return { shape, data: out };
}

/** A checkpoint file whose tensors are read one at a time (peak memory: one tensor, not the file). */
export interface CheckpointSource {
  /** The file opened. */
  readonly file: string;
  /** Every tensor key. */
  keys(): string[];
  /** A tensor's shape from the header / pickle, without reading its data; undefined if absent. */
  shape(key: string): number[] | undefined;
  /** Reads one tensor (F16/BF16/F64 decoded to float32, integer dtypes to int32). */
  read(key: string): Promise<HostTensor>;
  /**
   * The tensor's dtype in the file ({@link CheckpointDtype}, e.g. `'bfloat16'`), without reading it;
   * undefined if absent. Optional: a source without it is taken as float32.
   */
  dtype?(key: string): CheckpointDtype | undefined;
  /** Releases file handles. */
  close(): Promise<void>;
}

/** Safetensors dtype names in PyTorch's spelling (huggingface/safetensors `Dtype`, torch dtypes). */
const SAFETENSORS_DTYPES: Record<string, CheckpointDtype> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16',
  I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool',
};

async function openSafetensorsSource(file: string): Promise<CheckpointSource> {
  const reader = await openSafetensors(file);
  return {
    file,
    keys: () => reader.keys(),
    shape: (key) => (reader.has(key) ? [...reader.header[key].shape] : undefined),
    dtype: (key) => {
      if (!reader.has(key)) return undefined;
      const d = reader.header[key].dtype;
      return SAFETENSORS_DTYPES[d] ?? d.toLowerCase();
    },
    read: async (key) => {
      const t = await reader.get(key, { toFloat32: true });
      return toHost(key, [...t.shape], t.data as ArrayLike<number | bigint>, file);
    },
    close: () => reader.close(),
  };
}

function openBinSource(file: string, shards: string[]): CheckpointSource {
  const owner = new Map<string, TorchZip>();
  for (const shard of shards) {
    const zip = openTorchZip(new Uint8Array(readFileSync(shard)), shard);
    for (const k of zip.keys()) owner.set(k, zip);
  }
  return {
    file,
    keys: () => [...owner.keys()],
    shape: (key) => owner.get(key)?.shape(key),
    dtype: (key) => owner.get(key)?.dtype(key),
    read: async (key) => {
      const zip = owner.get(key);
      if (!zip) throw new CheckpointError(`${file}: no tensor "${key}"`);
      return zip.read(key);
    },
    close: async () => owner.clear(),
  };
}

function binShards(indexFile: string): string[] {
  let map: unknown;
  try {
    map = JSON.parse(readFileSync(indexFile, 'utf8')).weight_map;
  } catch (e) {
    throw new CheckpointError(`${indexFile}: not a valid index (${(e as Error).message})`);
  }
  if (typeof map !== 'object' || map === null) throw new CheckpointError(`${indexFile}: no "weight_map"`);
  return [...new Set(Object.values(map))].map((shard) => {
    if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\')) {
      throw new CheckpointError(`${indexFile}: bad shard name ${JSON.stringify(shard)}`);
    }
    const path = join(dirname(indexFile), shard);
    if (!existsSync(path)) throw new CheckpointError(`${indexFile}: shard ${shard} is missing`);
    return path;
  });
}

/**
 * Opens a weights file found by {@link findWeights}: safetensors (single or sharded through
 * `model.safetensors.index.json`) or a `torch.save` zip (single or sharded through
 * `pytorch_model.bin.index.json`), never executing a pickle.
 * @throws CheckpointError, PickleError, or io-safetensors' SafetensorsError (each names the file)
 */
export async function openCheckpoint(file: string): Promise<CheckpointSource> {
  const name = basename(file);
  if (name.endsWith('.safetensors') || name.endsWith('.safetensors.index.json')) return openSafetensorsSource(file);
  if (name.endsWith('.bin.index.json')) return openBinSource(file, binShards(file));
  return openBinSource(file, [file]);
}

/**
 * Reads the tensors of a weights file (see {@link openCheckpoint}) into memory.
 * @param keep which keys to read; others are never decoded
 */
export async function readCheckpointFile(file: string, keep: (key: string) => boolean = () => true): Promise<Map<string, HostTensor>> {
  const src = await openCheckpoint(file);
  try {
    const out = new Map<string, HostTensor>();
    for (const k of src.keys()) if (keep(k)) out.set(k, await src.read(k));
    return out;
  } finally {
    await src.close();
  }
}
