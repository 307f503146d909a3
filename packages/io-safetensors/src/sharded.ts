import { SafetensorsError } from './errors.js';
import type { SafetensorsHeader, TensorInfo } from './header.js';
import { parseJson } from './json.js';
import { readSafetensorsHeader, readerOver, type SafetensorsReader } from './reader.js';
import { toSource, type ByteSource, type SourceLike } from './source.js';

/** A parsed `model.safetensors.index.json` (Hugging Face sharded checkpoint). */
export interface SafetensorsIndex {
  /** Tensor name → shard file name (a bare file name next to the index). */
  weight_map: Map<string, string>;
  /** The index's own `metadata` object (e.g. `total_size`), as plain JSON values. */
  metadata: Record<string, unknown>;
}

function indexError(message: string, file?: string): SafetensorsError {
  return new SafetensorsError('IndexParsingError', message, { file });
}

/**
 * Parses an index file. Shard names must be bare file names (no directories, no `..`), so a hostile
 * index cannot point outside its folder.
 * @throws SafetensorsError IndexParsingError.
 */
export function parseSafetensorsIndex(text: string): SafetensorsIndex {
  let root;
  try {
    root = parseJson(text);
  } catch (e) {
    throw indexError(`index is not valid JSON: ${(e as Error).message}`);
  }
  if (!(root instanceof Map)) throw indexError('index is not a JSON object');
  const wm = root.get('weight_map');
  if (!(wm instanceof Map)) throw indexError('index has no "weight_map" object');
  const weight_map = new Map<string, string>();
  for (const [name, file] of wm) {
    if (typeof file !== 'string' || file === '' || file === '.' || file === '..' || /[/\\\0]/.test(file)) {
      throw indexError(`weight_map[${JSON.stringify(name)}] must be a bare shard file name, got ${JSON.stringify(file)}`);
    }
    weight_map.set(name, file);
  }
  const meta = root.get('metadata');
  const metadata: Record<string, unknown> = Object.create(null);
  if (meta instanceof Map) for (const [k, v] of meta) metadata[k] = v instanceof Map ? Object.fromEntries(v) : v;
  return { weight_map, metadata };
}

/**
 * Opens a sharded checkpoint as one lazy reader. Every shard's header is read and validated up
 * front, and must hold exactly the tensors the index maps to it (IndexParsingError otherwise).
 *
 * @param index the index file's text.
 * @param resolve opens a shard by its file name.
 */
export async function openShardedSafetensors(
  index: string,
  resolve: (file: string) => SourceLike | Promise<SourceLike>,
): Promise<SafetensorsReader & { index: SafetensorsIndex }> {
  const idx = parseSafetensorsIndex(index);
  const files = [...new Set(idx.weight_map.values())];
  const shards = new Map<string, { src: ByteSource; h: SafetensorsHeader }>();
  const closeAll = async () => {
    for (const s of shards.values()) await s.src.close?.();
  };
  const header: Record<string, TensorInfo> = Object.create(null);
  const metadata: Record<string, string> = Object.create(null);
  const where = new Map<string, string>();
  try {
    for (const file of files) {
      const src = toSource(await resolve(file));
      let h: SafetensorsHeader;
      try {
        h = await readSafetensorsHeader(src);
      } catch (e) {
        await src.close?.();
        if (e instanceof SafetensorsError && e.file === undefined) {
          throw new SafetensorsError(e.code, e.message.slice(e.code.length + 2), { file, tensor: e.tensor, cause: e });
        }
        throw e;
      }
      shards.set(file, { src, h });
      for (const [k, v] of Object.entries(h.metadata)) if (!(k in metadata)) metadata[k] = v;
      for (const name of h.names) {
        if (idx.weight_map.get(name) !== file) {
          throw indexError(`shard ${file} holds tensor ${JSON.stringify(name)} that the index maps to ${idx.weight_map.get(name) ?? 'no shard'}`);
        }
        header[name] = h.header[name]!;
        where.set(name, file);
      }
    }
    for (const [name, file] of idx.weight_map) {
      if (!where.has(name)) throw indexError(`index maps tensor ${JSON.stringify(name)} to ${file}, which does not hold it`);
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
  const names = files.flatMap((f) => shards.get(f)!.h.names);
  const reader = readerOver({ header, metadata, names }, (name) => {
    const s = shards.get(where.get(name)!)!;
    return { src: s.src, dataOffset: s.h.dataOffset, info: header[name]! };
  }, closeAll);
  return Object.assign(reader, { index: idx });
}
