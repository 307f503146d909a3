import { readFile, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { withFile } from '../errors.js';
import type { SafetensorsHeader } from '../header.js';
import { planLayout, type TensorsInput } from '../layout.js';
import type { SafetensorsFile } from '../parse.js';
import * as core from '../reader.js';
import { openShardedSafetensors, type SafetensorsIndex } from '../sharded.js';
import type { SourceLike } from '../source.js';
import { fileSource, ioError, pathOf } from './file_source.js';

/** A file path (string or file: URL) or any source the browser-safe readers take. */
export type PathOrSource = string | URL | SourceLike;

const isPath = (x: PathOrSource): x is string | URL => typeof x === 'string' || x instanceof URL;

/**
 * Reads and validates only the header of a file (8 + N bytes are read) or of any source.
 * @throws SafetensorsError (message names the file).
 */
export async function readSafetensorsHeader(source: PathOrSource): Promise<SafetensorsHeader> {
  if (!isPath(source)) return core.readSafetensorsHeader(source);
  const src = await fileSource(source);
  try {
    return await core.readSafetensorsHeader(src);
  } catch (e) {
    throw withFile(e, src.path);
  } finally {
    await src.close();
  }
}

/**
 * Opens a file lazily: `keys()`, `header`, `metadata`, and `get(name)` that reads only that tensor's
 * bytes. A path ending in `.index.json` opens a sharded checkpoint (`model.safetensors.index.json`)
 * as one reader whose `index` holds the parsed index; its shards are read from the index's folder.
 * @throws SafetensorsError for a malformed file or index (message names the file), IoError.
 */
export async function openSafetensors(source: PathOrSource): Promise<core.SafetensorsReader & { index?: SafetensorsIndex }> {
  if (!isPath(source)) return core.openSafetensors(source);
  const file = pathOf(source);
  if (file.endsWith('.index.json')) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw ioError(e, file, 'cannot read index');
    }
    try {
      return await openShardedSafetensors(text, (shard) => fileSource(join(dirname(file), shard)));
    } catch (e) {
      throw withFile(e, file);
    }
  }
  const src = await fileSource(file);
  try {
    return await core.openSafetensors(src);
  } catch (e) {
    throw withFile(e, file);
  }
}

/**
 * Loads every tensor of a file (or sharded checkpoint, or source): reads the header first, then the
 * tensors one at a time, each into its own exactly sized buffer, so peak memory is the decoded
 * tensors plus at most one 4 MiB chunk — never two copies of the file. Data are zero-copy typed
 * arrays over those buffers. `toFloat32` decodes F16/BF16 to float32 while streaming.
 * @throws SafetensorsError for a malformed file (message names the file), IoError.
 */
export async function loadSafetensors(source: PathOrSource, options: core.ReadOptions = {}): Promise<SafetensorsFile> {
  if (!isPath(source)) return core.loadSafetensors(source, options);
  const reader = await openSafetensors(source);
  try {
    return await core.loadAll(reader, options);
  } catch (e) {
    throw withFile(e, pathOf(source));
  } finally {
    await reader.close();
  }
}

/** Options of {@link saveSafetensors}. */
export interface SaveOptions {
  /** fsync the file before the rename, so a crash cannot leave an empty file in its place. Default true. */
  fsync?: boolean;
}

/**
 * Writes tensors to `path` in the reference layout (see `serializeSafetensors`), streaming the header
 * then each tensor's bytes (no file-sized buffer is built). Writes go to a temporary file in the same
 * folder that is renamed over `path` only when complete; on any failure it is removed, so a failed
 * save leaves no partial file and an existing `path` untouched.
 * @throws SafetensorsError InvalidTensorView / JsonError on bad input (before touching the disk), IoError.
 */
export async function saveSafetensors(
  path: string | URL,
  tensors: TensorsInput,
  metadata?: Record<string, string>,
  options: SaveOptions = {},
): Promise<void> {
  const file = pathOf(path);
  const { head, chunks } = planLayout(tensors, metadata);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  let fh;
  try {
    fh = await open(tmp, 'wx');
  } catch (e) {
    throw ioError(e, file, 'cannot create temporary file');
  }
  try {
    await writeAll(fh, head);
    for (const c of chunks) await writeAll(fh, c);
    if (options.fsync !== false) await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, file);
  } catch (e) {
    await fh?.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw ioError(e, file, 'cannot write');
  }
}

async function writeAll(fh: import('node:fs/promises').FileHandle, bytes: Uint8Array): Promise<void> {
  const MAX = 0x40000000;
  for (let at = 0; at < bytes.length; ) {
    const { bytesWritten } = await fh.write(bytes, at, Math.min(MAX, bytes.length - at));
    at += bytesWritten;
  }
}
