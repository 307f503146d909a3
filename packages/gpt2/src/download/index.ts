// Hugging Face Hub downloads (Node only): the public part.
export { downloadGPT2, type DownloadOptions } from './download_gpt2';
export { DownloadError, type DownloadErrorCode } from './errors';
export { hubCacheDir, RepoCache } from './cache_layout';
export type { FileProgress } from './transfer';
export type { FileStatus } from './stores';
