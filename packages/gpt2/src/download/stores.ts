import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { RepoCache } from './cache_layout';
import { DownloadError } from './errors';
import { isCommitHash, validateFileName } from './names';
import { headRemoteFile, type HubAccess, type RemoteFile } from './remote_file';
import { transferToFile, type FileProgress } from './transfer';

/** How a file was obtained: already on disk, transferred now, or not in the repository (optional files). */
export type FileStatus = 'cached' | 'downloaded' | 'absent';

/** Settings shared by both stores. */
export interface StoreOptions extends HubAccess {
  repoId: string;
  revision: string;
  retries: number;
  offline: boolean;
  onProgress?: (p: FileProgress) => void;
  onFile?: (file: string, status: FileStatus) => void;
}

/** Where downloaded files go: the hub cache, or a plain folder. */
export interface FileStore {
  /** The local path of `file`, or undefined when `optional` and the repository has no such file. */
  get(file: string, optional: boolean): Promise<string | undefined>;
  /** The folder holding every file obtained so far (what `loadGPT2` reads). */
  folder(): string;
}

const OFFLINE_OK = new Set(['E_DOWNLOAD_NETWORK', 'E_DOWNLOAD_STALLED']);

async function head(o: StoreOptions, revision: string, file: string, optional: boolean): Promise<RemoteFile | undefined> {
  try {
    return await headRemoteFile(o, o.repoId, revision, file);
  } catch (e) {
    if (optional && e instanceof DownloadError && e.code === 'E_DOWNLOAD_NOT_FOUND') return undefined;
    throw e;
  }
}

function offlineMissing(o: StoreOptions, file: string, where: string): DownloadError {
  return new DownloadError('E_DOWNLOAD_OFFLINE', `${file} of ${o.repoId} (revision "${o.revision}") is not in ${where} and the Hub cannot be asked (offline)`);
}

/**
 * The Hugging Face cache layout (see {@link RepoCache}). The first answer of the Hub pins the commit,
 * so every file comes from one snapshot; a file already in that snapshot costs no request; a blob
 * already present (from another revision, or from a Python download) is linked, not fetched again.
 * When the Hub is unreachable, `refs/<revision>` and the snapshot are used as they are.
 */
export class CacheStore implements FileStore {
  private commit: string | undefined;
  /** Set after a network failure: the remaining files come from the cache only. */
  private unreachable: DownloadError | undefined;
  constructor(private readonly cache: RepoCache, private readonly o: StoreOptions) {
    if (isCommitHash(o.revision)) this.commit = o.revision;
  }

  private useLocal(file: string, optional: boolean): string | undefined {
    this.commit ??= this.cache.readRef(this.o.revision);
    const path = this.commit === undefined ? undefined : this.cache.cached(this.commit, file);
    if (path !== undefined) {
      this.o.onFile?.(file, 'cached');
      return path;
    }
    if (optional && this.commit !== undefined) {
      this.o.onFile?.(file, 'absent');
      return undefined;
    }
    if (this.unreachable) throw this.unreachable;
    throw offlineMissing(this.o, file, this.cache.dir);
  }

  async get(file: string, optional: boolean): Promise<string | undefined> {
    const known = this.commit !== undefined && (this.cache.cached(this.commit, file) !== undefined || this.cache.knownAbsent(this.commit, file));
    if (known || this.o.offline || this.unreachable) return this.useLocal(file, optional);
    let remote: RemoteFile | undefined;
    try {
      remote = await head(this.o, this.commit ?? this.o.revision, file, optional);
    } catch (e) {
      if (!(e instanceof DownloadError && OFFLINE_OK.has(e.code))) throw e;
      this.unreachable = e;
      return this.useLocal(file, optional);
    }
    if (remote === undefined) {
      this.commit ??= this.cache.readRef(this.o.revision);
      if (this.commit !== undefined) this.cache.markAbsent(this.commit, file);
      this.o.onFile?.(file, 'absent');
      return undefined;
    }
    if (this.commit === undefined) {
      this.commit = remote.commit;
      this.cache.writeRef(this.o.revision, remote.commit);
    }
    const blob = this.cache.blobPath(remote.etag);
    if (existsSync(blob)) {
      this.o.onFile?.(file, 'cached');
    } else {
      mkdirSync(dirname(blob), { recursive: true });
      await transferToFile(remote, blob, { ...this.o, file });
      this.o.onFile?.(file, 'downloaded');
    }
    return this.cache.link(this.commit, file, remote.etag);
  }

  folder(): string {
    if (this.commit === undefined) throw new DownloadError('E_DOWNLOAD_OFFLINE', `${this.o.repoId}: no file was obtained`);
    return this.cache.snapshotDir(this.commit);
  }
}

/**
 * A plain folder (huggingface_hub's `local_dir`): `dir/<file>`, with the commit and ETag of each file
 * in `dir/.cache/huggingface/download/<file>.metadata` (lines: commit, etag, time), so a file whose
 * ETag has not changed is not fetched again.
 */
export class LocalDirStore implements FileStore {
  private readonly dir: string;
  private commit: string | undefined;
  constructor(dir: string, private readonly o: StoreOptions) {
    this.dir = resolve(dir);
    if (isCommitHash(o.revision)) this.commit = o.revision;
  }

  private paths(file: string): { dest: string; meta: string } {
    validateFileName(file, this.o.repoId);
    const dest = resolve(this.dir, ...file.split('/'));
    if (!dest.startsWith(this.dir + sep)) throw new DownloadError('E_DOWNLOAD_ARG', `${file}: resolves outside ${this.dir}`);
    return { dest, meta: join(this.dir, '.cache', 'huggingface', 'download', ...`${file}.metadata`.split('/')) };
  }

  private recordedEtag(meta: string): string | undefined {
    if (!existsSync(meta)) return undefined;
    return readFileSync(meta, 'utf8').split('\n')[1]?.trim();
  }

  async get(file: string, optional: boolean): Promise<string | undefined> {
    const { dest, meta } = this.paths(file);
    const local = (cause?: DownloadError) => {
      if (existsSync(dest)) {
        this.o.onFile?.(file, 'cached');
        return dest;
      }
      if (cause) throw cause;
      if (optional) return undefined;
      throw offlineMissing(this.o, file, this.dir);
    };
    if (this.o.offline) return local();
    let remote: RemoteFile | undefined;
    try {
      remote = await head(this.o, this.commit ?? this.o.revision, file, optional);
    } catch (e) {
      if (e instanceof DownloadError && OFFLINE_OK.has(e.code)) return local(e);
      throw e;
    }
    if (remote === undefined) {
      this.o.onFile?.(file, 'absent');
      return undefined;
    }
    this.commit ??= remote.commit;
    const same = existsSync(dest) && this.recordedEtag(meta) === remote.etag && (remote.size === undefined || statSync(dest).size === remote.size);
    if (same) {
      this.o.onFile?.(file, 'cached');
      return dest;
    }
    mkdirSync(dirname(dest), { recursive: true });
    await transferToFile(remote, dest, { ...this.o, file });
    mkdirSync(dirname(meta), { recursive: true });
    const tmp = `${meta}.${process.pid}.tmp`;
    writeFileSync(tmp, `${remote.commit}\n${remote.etag}\n${Date.now() / 1000}\n`);
    renameSync(tmp, meta);
    this.o.onFile?.(file, 'downloaded');
    return dest;
  }

  folder(): string {
    return this.dir;
  }
}
