import { DownloadError } from './errors';

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/**
 * Checks a Hugging Face model id (`"gpt2"` or `"org/name"`) with the Hub's own rules (letters,
 * digits, `_`, `-`, `.`; at most 96 characters a part; no `--` or `..`; no leading or trailing `-` or
 * `.`), which also guarantees that its cache folder `models--org--name` stays inside the cache.
 * @throws DownloadError `E_DOWNLOAD_ARG` naming the id
 */
export function validateRepoId(repoId: string): void {
  const parts = typeof repoId === 'string' ? repoId.split('/') : [];
  const ok =
    parts.length >= 1 &&
    parts.length <= 2 &&
    parts.every((p) => p.length >= 1 && p.length <= 96 && SEGMENT.test(p) && !/^[-.]|[-.]$/.test(p)) &&
    !repoId.includes('--') &&
    !repoId.includes('..');
  if (!ok) {
    throw new DownloadError('E_DOWNLOAD_ARG', `invalid model name ${JSON.stringify(repoId)}: expected "name" or "org/name" (letters, digits, "_", "-", "."; no "..", "--", or leading/trailing "-" / ".")`);
  }
}

/**
 * Checks a revision (branch, tag, 40-hex commit, or `refs/pr/N`) before it becomes a file name under
 * `refs/`: `/`-separated parts of letters, digits, `_`, `-`, `.`, none of them `.` or `..`.
 * @throws DownloadError `E_DOWNLOAD_ARG`
 */
export function validateRevision(revision: string): void {
  const parts = typeof revision === 'string' ? revision.split('/') : [];
  if (parts.length === 0 || !parts.every((p) => SEGMENT.test(p) && p !== '.' && p !== '..')) {
    throw new DownloadError('E_DOWNLOAD_ARG', `invalid revision ${JSON.stringify(revision)}: expected a branch, tag or commit hash`);
  }
}

/**
 * Checks a repository file name (from our list or from a shard index downloaded from the server)
 * before it becomes a path: relative, `/`-separated, no empty, `.` or `..` part, no backslash.
 * @throws DownloadError `E_DOWNLOAD_ARG` naming the file and where it came from
 */
export function validateFileName(name: string, source: string): void {
  const parts = typeof name === 'string' ? name.split('/') : [];
  if (parts.length === 0 || !parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\') && !p.includes('\0') && !p.includes(':'))) {
    throw new DownloadError('E_DOWNLOAD_ARG', `${source}: file name ${JSON.stringify(name)} is not a relative path inside the repository`);
  }
}

/** A 40-hex git commit id (what the Hub sends in `X-Repo-Commit`). */
export function isCommitHash(s: string): boolean {
  return /^[0-9a-f]{40}$/.test(s);
}

/**
 * The blob name of an ETag header: quotes and the weak `W/` prefix removed. The Hub sends the
 * sha256 of an LFS file or the git sha1 of a regular one; anything else that is not a safe file name
 * is refused, so a hostile server cannot write outside `blobs/`.
 * @throws DownloadError `E_DOWNLOAD_HTTP` naming the URL
 */
export function normalizeEtag(raw: string, url: string): string {
  const etag = raw.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/.test(etag)) {
    throw new DownloadError('E_DOWNLOAD_HTTP', `${url}: the server sent an unusable ETag ${JSON.stringify(raw)}`, url);
  }
  return etag;
}
