import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DownloadError } from './errors';
import { isCommitHash, validateFileName, validateRepoId, validateRevision } from './names';

/**
 * The Hugging Face hub cache folder, found as huggingface_hub finds it: `HF_HUB_CACHE`, else the
 * legacy `HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
 * `~/.cache/huggingface/hub`. Files that Python tools downloaded there are reused.
 * Layout reference: huggingface_hub docs, "Manage huggingface_hub cache-system" / "Hub Local Cache".
 */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return resolve(env.HF_HUB_CACHE);
  if (env.HUGGINGFACE_HUB_CACHE) return resolve(env.HUGGINGFACE_HUB_CACHE);
  if (env.HF_HOME) return resolve(env.HF_HOME, 'hub');
  if (env.XDG_CACHE_HOME) return resolve(env.XDG_CACHE_HOME, 'huggingface', 'hub');
  return join(homedir(), '.cache', 'huggingface', 'hub');
}

function inside(root: string, path: string, what: string): string {
  const r = resolve(root);
  const p = resolve(path);
  if (p !== r && !p.startsWith(r + sep)) throw new DownloadError('E_DOWNLOAD_ARG', `${what} resolves to ${p}, outside ${r}`);
  return p;
}

/**
 * One model repository in the hub cache: `<cache>/models--{org}--{name}/` holding `blobs/<etag>`
 * (the bytes), `snapshots/<commit>/<file>` (relative symlinks to the blobs, or copies where the file
 * system refuses symlinks) and `refs/<revision>` (the commit a branch or tag pointed to).
 */
export class RepoCache {
  readonly dir: string;
  constructor(readonly cacheDir: string, readonly repoId: string) {
    validateRepoId(repoId);
    this.dir = inside(cacheDir, join(cacheDir, `models--${repoId.split('/').join('--')}`), `cache folder of model "${repoId}"`);
  }

  blobPath(etag: string): string {
    return inside(join(this.dir, 'blobs'), join(this.dir, 'blobs', etag), `blob "${etag}"`);
  }

  pointerPath(commit: string, file: string): string {
    if (!isCommitHash(commit)) throw new DownloadError('E_DOWNLOAD_HTTP', `${this.repoId}: "${commit}" is not a commit hash`);
    validateFileName(file, this.repoId);
    return inside(join(this.dir, 'snapshots', commit), join(this.dir, 'snapshots', commit, ...file.split('/')), `file "${file}"`);
  }

  snapshotDir(commit: string): string {
    return join(this.dir, 'snapshots', commit);
  }

  /** The commit `revision` names locally: itself when it is a commit hash, else the content of `refs/<revision>`. */
  readRef(revision: string): string | undefined {
    if (isCommitHash(revision)) return revision;
    validateRevision(revision);
    const file = inside(join(this.dir, 'refs'), join(this.dir, 'refs', ...revision.split('/')), `revision "${revision}"`);
    if (!existsSync(file)) return undefined;
    const commit = readFileSync(file, 'utf8').trim();
    return isCommitHash(commit) ? commit : undefined;
  }

  /** Records that `revision` pointed to `commit` (nothing to record when it is the commit itself). */
  writeRef(revision: string, commit: string): void {
    if (revision === commit || this.readRef(revision) === commit) return;
    const file = inside(join(this.dir, 'refs'), join(this.dir, 'refs', ...revision.split('/')), `revision "${revision}"`);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, commit);
    renameSync(tmp, file);
  }

  /** Makes `snapshots/<commit>/<file>` point at the blob: a relative symlink, else a copy; replaced atomically. */
  link(commit: string, file: string, etag: string): string {
    const pointer = this.pointerPath(commit, file);
    const blob = this.blobPath(etag);
    mkdirSync(dirname(pointer), { recursive: true });
    const tmp = `${pointer}.${process.pid}.tmp`;
    rmSync(tmp, { force: true });
    try {
      symlinkSync(relative(dirname(pointer), blob), tmp);
    } catch {
      copyFileSync(blob, tmp); // e.g. Windows without developer mode, some network file systems
    }
    renameSync(tmp, pointer);
    return pointer;
  }

  /** Marks `file` as absent from the repository at `commit` (`.no_exist/<commit>/<file>`, as huggingface_hub does). */
  markAbsent(commit: string, file: string): void {
    const marker = this.noExistPath(commit, file);
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, '');
  }

  /** True when an earlier answer said `file` does not exist at `commit`. */
  knownAbsent(commit: string, file: string): boolean {
    return existsSync(this.noExistPath(commit, file));
  }

  private noExistPath(commit: string, file: string): string {
    this.pointerPath(commit, file); // validates both
    return join(this.dir, '.no_exist', commit, ...file.split('/'));
  }

  /** The snapshot file of `file` at `commit` if it is there and resolves to existing bytes. */
  cached(commit: string, file: string): string | undefined {
    const pointer = this.pointerPath(commit, file);
    try {
      lstatSync(pointer);
    } catch {
      return undefined;
    }
    return existsSync(pointer) ? pointer : undefined; // existsSync follows the link: a dangling one is not cached
  }
}
