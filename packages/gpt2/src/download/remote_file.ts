import { DownloadError } from './errors';
import { header, requestFollowing, type HttpResponse } from './http';
import { isCommitHash, normalizeEtag } from './names';

/** Where and how to reach the Hub. */
export interface HubAccess {
  /** e.g. `https://huggingface.co` (no trailing slash). */
  endpoint: string;
  /** Sent as `Authorization: Bearer <token>` to the Hub host only. */
  token: string | undefined;
  /** Idle time (ms) before a request counts as stalled. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What a `HEAD` on a `resolve` URL tells about one file. */
export interface RemoteFile {
  /** The commit the revision resolved to (`X-Repo-Commit`). */
  commit: string;
  /** Blob name: the LFS sha256 (`X-Linked-Etag`) or the git blob id (`ETag`). */
  etag: string;
  /** True when `etag` is the sha256 of the content (an LFS file), so the bytes can be verified. */
  sha256: boolean;
  /** Size in bytes (`X-Linked-Size` or `Content-Length`), when announced. */
  size: number | undefined;
  /** Where the bytes are (the CDN URL of an LFS file, else the resolve URL). */
  downloadUrl: string;
}

/** `{endpoint}/{repo}/resolve/{revision}/{file}`, each part URL-encoded. */
export function resolveUrl(endpoint: string, repoId: string, revision: string, file: string): string {
  return `${endpoint}/${repoId}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Request headers for `url`: no compression (sizes must match), a user agent, and the token only
 * when `url` is on the Hub's own host (never sent to the CDN an LFS file redirects to).
 */
export function hubHeaders(access: HubAccess, url: string): Record<string, string> {
  const h: Record<string, string> = { 'Accept-Encoding': 'identity', 'User-Agent': `gorch/0.1.0; node/${process.versions.node}` };
  if (access.token && new URL(url).host === new URL(access.endpoint).host) h.Authorization = `Bearer ${access.token}`;
  return h;
}

/**
 * Turns a 4xx / 5xx answer into a {@link DownloadError}: 401 / 403 name `HF_TOKEN`, 404 names the
 * file and the repository (with the Hub's `X-Error-Code`, e.g. `RepoNotFound`, `EntryNotFound`).
 */
export function statusError(res: HttpResponse, repoId: string, file: string, revision: string): DownloadError {
  res.body.resume();
  const hubCode = header(res.headers, 'x-error-code');
  const why = hubCode ? ` (${hubCode})` : '';
  if (res.status === 401 || res.status === 403) {
    return new DownloadError(
      'E_DOWNLOAD_AUTH',
      `${res.url}: HTTP ${res.status}${why}: not allowed to read ${file} of ${repoId}. For a private or gated model set HF_TOKEN to an access token that can read it; the Hub also answers 401 for a repository that does not exist`,
      res.url,
      res.status,
    );
  }
  if (res.status === 404) {
    return new DownloadError('E_DOWNLOAD_NOT_FOUND', `${res.url}: HTTP 404${why}: ${file} not found in ${repoId} at revision "${revision}"`, res.url, 404);
  }
  return new DownloadError('E_DOWNLOAD_HTTP', `${res.url}: unexpected HTTP ${res.status}${why} for ${file} of ${repoId}`, res.url, res.status);
}

/**
 * Asks the Hub about a file without downloading it: a `HEAD` on its resolve URL that follows only
 * relative redirects (a renamed repository), so the redirect of an LFS file to its CDN is read for
 * its headers instead of followed (the behaviour of huggingface_hub's `get_hf_file_metadata`).
 * @throws DownloadError (see {@link statusError}); `E_DOWNLOAD_HTTP` when the answer lacks
 *   `X-Repo-Commit` or an ETag (not a Hugging Face hub)
 */
export async function headRemoteFile(access: HubAccess, repoId: string, revision: string, file: string): Promise<RemoteFile> {
  const url = resolveUrl(access.endpoint, repoId, revision, file);
  const res = await requestFollowing('HEAD', url, { headers: hubHeaders(access, url), timeoutMs: access.timeoutMs, signal: access.signal }, (_from, _to, location) => location.startsWith('/') && !location.startsWith('//'));
  if (res.status >= 400) throw statusError(res, repoId, file, revision);
  res.body.resume();
  const isRedirect = res.status >= 300 && res.status < 400;
  const commit = header(res.headers, 'x-repo-commit');
  const linked = header(res.headers, 'x-linked-etag');
  const rawEtag = linked ?? header(res.headers, 'etag');
  if (commit === undefined || !isCommitHash(commit)) {
    throw new DownloadError('E_DOWNLOAD_HTTP', `${res.url}: no valid X-Repo-Commit header in the answer (is ${access.endpoint} a Hugging Face hub?)`, res.url, res.status);
  }
  if (rawEtag === undefined) throw new DownloadError('E_DOWNLOAD_HTTP', `${res.url}: no ETag header in the answer`, res.url, res.status);
  const etag = normalizeEtag(rawEtag, res.url);
  const sizeHeader = header(res.headers, 'x-linked-size') ?? (isRedirect ? undefined : header(res.headers, 'content-length'));
  const size = sizeHeader !== undefined && /^\d+$/.test(sizeHeader) ? Number(sizeHeader) : undefined;
  const location = header(res.headers, 'location');
  return {
    commit,
    etag,
    sha256: linked !== undefined && /^[0-9a-f]{64}$/.test(etag),
    size,
    downloadUrl: isRedirect && location !== undefined ? new URL(location, res.url).href : res.url,
  };
}
