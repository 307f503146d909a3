import { GorchError } from '@gorch/tensor';

/** Why a download failed; each is the `code` of a {@link DownloadError}. */
export type DownloadErrorCode =
  | 'E_DOWNLOAD_ARG' // a model name, revision or file name that is malformed or escapes its folder
  | 'E_DOWNLOAD_AUTH' // 401 / 403: no token, a wrong token, a gated or a private repository
  | 'E_DOWNLOAD_NOT_FOUND' // 404: the repository, revision or file does not exist
  | 'E_DOWNLOAD_HTTP' // any other unexpected status, a redirect loop, a missing header
  | 'E_DOWNLOAD_NETWORK' // connection refused / reset before the body ended
  | 'E_DOWNLOAD_STALLED' // no byte for `timeoutMs`
  | 'E_DOWNLOAD_TRUNCATED' // the body ended before its announced length
  | 'E_DOWNLOAD_INTEGRITY' // the bytes do not hash to the ETag the server announced
  | 'E_DOWNLOAD_OFFLINE'; // offline mode and the file is not in the cache

/**
 * A Hugging Face download failed. The message names the URL (or the file and repository) and, for
 * 401/403, the `HF_TOKEN` variable. A failed transfer leaves its bytes in a `.incomplete` file that
 * the next call resumes with an HTTP `Range` request.
 */
export class DownloadError extends GorchError {
  /** The URL of the failing request, when one was made. */
  readonly url: string | undefined;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  constructor(code: DownloadErrorCode, message: string, url?: string, status?: number) {
    super(code, message);
    this.url = url;
    this.status = status;
  }
}
