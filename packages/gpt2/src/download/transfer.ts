import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { bodyChunks } from './body_chunks';
import { DownloadError } from './errors';
import { header, requestFollowing } from './http';
import { hubHeaders, statusError, type HubAccess, type RemoteFile } from './remote_file';

/** Progress of one file, reported after every chunk written. */
export interface FileProgress {
  /** Repository file name, e.g. `model.safetensors`. */
  file: string;
  /** Bytes on disk so far (including those of an earlier, resumed attempt). */
  bytes: number;
  /** Total size when announced. */
  total: number | undefined;
}

/** What {@link transferToFile} needs beyond the remote file. */
export interface TransferOptions extends HubAccess {
  repoId: string;
  revision: string;
  file: string;
  /** Extra attempts after a stall, a reset connection or a truncated body (each resumes). */
  retries: number;
  onProgress?: (p: FileProgress) => void;
}

const RETRIABLE = new Set(['E_DOWNLOAD_STALLED', 'E_DOWNLOAD_NETWORK', 'E_DOWNLOAD_TRUNCATED']);

/** A running sha256 of the first `bytes` bytes of the partial file (LFS files only). */
interface PrefixHash {
  hash: Hash;
  bytes: number;
}

/** A hash of exactly the first `have` bytes of `partial`: kept when it already is one, else re-read. */
async function prefixHash(partial: string, have: number, current: PrefixHash | undefined): Promise<PrefixHash> {
  if (current !== undefined && current.bytes === have) return current;
  const hash = createHash('sha256');
  if (have > 0) for await (const chunk of createReadStream(partial, { start: 0, end: have - 1 })) hash.update(chunk as Buffer);
  return { hash, bytes: have };
}

/** One GET into `partial`, appending from its current length with `Range: bytes=N-` when it is not empty. */
async function attempt(remote: RemoteFile, partial: string, opts: TransferOptions, state: { prefix?: PrefixHash }): Promise<void> {
  let have = existsSync(partial) ? statSync(partial).size : 0;
  if (remote.size !== undefined && have > remote.size) {
    rmSync(partial); // longer than the file: not a prefix of it
    have = 0;
  }
  if (remote.size !== undefined && have === remote.size) return;
  // hashing while writing spares a second read of the file; the prefix is hashed before the request
  // so that the response never waits on it (and never trips the idle timeout)
  let prefix = remote.sha256 ? await prefixHash(partial, have, state.prefix) : undefined;
  const headers = hubHeaders(opts, remote.downloadUrl);
  if (have > 0) headers.Range = `bytes=${have}-`;
  const res = await requestFollowing('GET', remote.downloadUrl, { headers, timeoutMs: opts.timeoutMs, signal: opts.signal });
  if (res.status === 416 && remote.size === undefined && have > 0) {
    res.body.resume();
    return; // nothing left after `have` bytes
  }
  if (res.status !== 200 && res.status !== 206) throw statusError(res, opts.repoId, opts.file, opts.revision);
  if (res.status === 206) {
    const range = header(res.headers, 'content-range') ?? '';
    if (!range.startsWith(`bytes ${have}-`)) {
      res.body.resume();
      rmSync(partial, { force: true });
      throw new DownloadError('E_DOWNLOAD_TRUNCATED', `${res.url}: asked for bytes ${have}- but got Content-Range "${range}"; starting over`, res.url, 206);
    }
  } else {
    have = 0; // the server ignored Range: the body is the whole file
    if (prefix) prefix = { hash: createHash('sha256'), bytes: 0 };
  }
  const length = header(res.headers, 'content-length');
  const expected = remote.size ?? (length !== undefined && /^\d+$/.test(length) ? have + Number(length) : undefined);
  state.prefix = prefix;
  const fh = await open(partial, have > 0 ? 'a' : 'w');
  let bodyError: unknown;
  try {
    for await (const chunk of bodyChunks(res.body)) {
      await fh.write(chunk);
      prefix?.hash.update(chunk);
      have += chunk.length;
      if (prefix) prefix.bytes = have;
      opts.onProgress?.({ file: opts.file, bytes: have, total: expected });
      if (expected !== undefined && have > expected) break;
    }
  } catch (e) {
    bodyError = e;
  } finally {
    await fh.close();
  }
  if (res.stalled()) {
    throw new DownloadError('E_DOWNLOAD_STALLED', `${res.url}: no data for ${opts.timeoutMs} ms after ${have} bytes of ${opts.file} (stalled); the partial file ${partial} is kept and the next call resumes it`, res.url);
  }
  if (bodyError instanceof DownloadError || opts.signal?.aborted) throw bodyError;
  if (expected !== undefined && have > expected) {
    rmSync(partial, { force: true });
    throw new DownloadError('E_DOWNLOAD_INTEGRITY', `${res.url}: received more than the announced ${expected} bytes of ${opts.file}`, res.url);
  }
  if (expected !== undefined && have < expected) {
    throw new DownloadError('E_DOWNLOAD_TRUNCATED', `${res.url}: the body ended after ${have} of ${expected} bytes of ${opts.file}; the partial file ${partial} is kept and the next call resumes it`, res.url);
  }
  if (bodyError !== undefined) {
    throw new DownloadError('E_DOWNLOAD_NETWORK', `${res.url}: ${(bodyError as Error).message} after ${have} bytes of ${opts.file}`, res.url);
  }
}

/**
 * Downloads a file's bytes to `dest` the way huggingface_hub does: into `dest + '.incomplete'`,
 * resuming that file with an HTTP `Range` request when an earlier attempt left it, checking the
 * length (and the sha256 of an LFS file), and renaming it to `dest` only when complete, so `dest`
 * never holds a partial file. Stalls, resets and truncations are retried `opts.retries` times.
 *
 * @throws DownloadError (`E_DOWNLOAD_TRUNCATED`, `E_DOWNLOAD_STALLED`, `E_DOWNLOAD_NETWORK` leave the
 *   `.incomplete` file for the next call; `E_DOWNLOAD_INTEGRITY` deletes it; 401/403/404 codes)
 */
export async function transferToFile(remote: RemoteFile, dest: string, opts: TransferOptions): Promise<void> {
  const partial = `${dest}.incomplete`;
  const state: { prefix?: PrefixHash } = {};
  for (let i = 0; ; i++) {
    try {
      await attempt(remote, partial, opts, state);
      break;
    } catch (e) {
      if (!(e instanceof DownloadError) || !RETRIABLE.has(e.code) || i >= opts.retries) throw e;
    }
  }
  if (remote.sha256) {
    const size = statSync(partial).size;
    const got = (await prefixHash(partial, size, state.prefix)).hash.digest('hex');
    if (got !== remote.etag) {
      rmSync(partial, { force: true });
      throw new DownloadError('E_DOWNLOAD_INTEGRITY', `${remote.downloadUrl}: ${opts.file} of ${opts.repoId} has sha256 ${got}, the Hub announced ${remote.etag}; the partial file was deleted`, remote.downloadUrl);
    }
  }
  renameSync(partial, dest);
}
