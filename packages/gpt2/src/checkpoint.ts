import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openSafetensors } from '@gorch/io-safetensors';
import { CheckpointError } from './errors';
import type { HostTensor } from './host_tensor';
import { readTorchZip } from './torch_zip';

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

async function readSafetensors(file: string, keep: (key: string) => boolean): Promise<Map<string, HostTensor>> {
  const reader = await openSafetensors(file);
  try {
    const out = new Map<string, HostTensor>();
    for (const key of reader.keys()) {
      if (!keep(key)) continue;
      const t = await reader.get(key, { toFloat32: true });
      out.set(key, toHost(key, t.shape, t.data as ArrayLike<number | bigint>, file));
    }
    return out;
  } finally {
    await reader.close();
  }
}

function readBinShards(indexFile: string, keep: (key: string) => boolean): Map<string, HostTensor> {
  let map: Record<string, unknown>;
  try {
    map = JSON.parse(readFileSync(indexFile, 'utf8')).weight_map;
  } catch (e) {
    throw new CheckpointError(`${indexFile}: not a valid index (${(e as Error).message})`);
  }
  if (typeof map !== 'object' || map === null) throw new CheckpointError(`${indexFile}: no "weight_map"`);
  const shards = new Set(Object.values(map));
  const out = new Map<string, HostTensor>();
  for (const shard of shards) {
    if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\')) {
      throw new CheckpointError(`${indexFile}: bad shard name ${JSON.stringify(shard)}`);
    }
    const file = join(dirname(indexFile), shard);
    if (!existsSync(file)) throw new CheckpointError(`${indexFile}: shard ${shard} is missing`);
    for (const [k, v] of readTorchZip(new Uint8Array(readFileSync(file)), file, keep)) out.set(k, v);
  }
  return out;
}

/**
 * Reads the tensors of a weights file found by {@link findWeights}: safetensors (single or sharded
 * through `model.safetensors.index.json`; F16/BF16 decoded to float32) or a `torch.save` zip (single or
 * sharded through `pytorch_model.bin.index.json`), never executing a pickle.
 *
 * @param keep which keys to read; others are never decoded
 * @throws CheckpointError, PickleError, or io-safetensors' SafetensorsError (each names the file)
 */
export async function readCheckpointFile(file: string, keep: (key: string) => boolean = () => true): Promise<Map<string, HostTensor>> {
  const name = basename(file);
  if (name.endsWith('.safetensors') || name.endsWith('.safetensors.index.json')) return readSafetensors(file, keep);
  if (name.endsWith('.bin.index.json')) return readBinShards(file, keep);
  return readTorchZip(new Uint8Array(readFileSync(file)), file, keep);
}
