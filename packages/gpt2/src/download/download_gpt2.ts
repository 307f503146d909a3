import { readFileSync } from 'node:fs';
import { hubCacheDir, RepoCache } from './cache_layout';
import { DownloadError } from './errors';
import { validateFileName, validateRepoId, validateRevision } from './names';
import { terminalProgress } from './progress';
import { CacheStore, LocalDirStore, type FileStatus, type FileStore, type StoreOptions } from './stores';
import type { FileProgress } from './transfer';

/** Options of {@link downloadGPT2}. Defaults come from the same environment variables as huggingface_hub. */
export interface DownloadOptions {
  /** Branch, tag or commit (default `"main"`). */
  revision?: string;
  /** Hub URL (default `HF_ENDPOINT`, else `https://huggingface.co`). */
  endpoint?: string;
  /** Access token for private / gated models (default `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`). */
  token?: string;
  /** Hub cache folder used when no `dir` is given (default {@link hubCacheDir}). */
  cacheDir?: string;
  /** Milliseconds without a byte before a request is abandoned as stalled (default 30 000). */
  timeoutMs?: number;
  /** Extra resumed attempts after a stall, a reset or a truncated body (default 3). */
  retries?: number;
  /** Use only files already on disk, never the network (default: `HF_HUB_OFFLINE=1`). */
  offline?: boolean;
  /** `true`: a progress bar on stderr; `false`: none; a function: receives every update. Default: a bar when stderr is a TTY. */
  progress?: boolean | ((p: FileProgress) => void);
  /** Called once per file with how it was obtained. */
  onFile?: (file: string, status: FileStatus) => void;
  /** Cancels the transfer (the `.incomplete` file is kept). */
  signal?: AbortSignal;
}

/** Weight files in the order `from_pretrained` prefers them. */
const WEIGHTS = ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'];
/** Tokenizer and generation files, each optional. */
const EXTRAS = ['vocab.json', 'merges.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'added_tokens.json', 'generation_config.json'];

function shardNames(indexFile: string, repoId: string): string[] {
  let map: unknown;
  try {
    map = JSON.parse(readFileSync(indexFile, 'utf8')).weight_map;
  } catch (e) {
    throw new DownloadError('E_DOWNLOAD_HTTP', `${repoId}: ${indexFile} is not a valid index (${(e as Error).message})`);
  }
  if (typeof map !== 'object' || map === null) throw new DownloadError('E_DOWNLOAD_HTTP', `${repoId}: ${indexFile} has no "weight_map"`);
  const names = [...new Set(Object.values(map))];
  for (const n of names) validateFileName(n as string, indexFile); // a hostile index must not name ../../x
  return names as string[];
}

async function fetchWeights(store: FileStore, repoId: string): Promise<void> {
  for (const name of WEIGHTS) {
    const path = await store.get(name, true);
    if (path === undefined) continue;
    if (name.endsWith('.index.json')) for (const shard of shardNames(path, repoId)) await store.get(shard, false);
    return;
  }
  throw new DownloadError('E_DOWNLOAD_NOT_FOUND', `${repoId}: no weights in the repository (looked for ${WEIGHTS.join(', ')})`);
}

/**
 * Downloads a GPT-2 / GPT-Neo checkpoint from the Hugging Face Hub (or a mirror: `HF_ENDPOINT`) and
 * returns a folder that {@link loadGPT2} and `loadGPT2Tokenizer` read: `config.json`, the weights
 * (`model.safetensors`, else sharded safetensors, else `pytorch_model.bin`, else its shards) and the
 * tokenizer files the repository has (`vocab.json`, `merges.txt`, `tokenizer.json`, ...).
 *
 * Without `dir` the files go to the Hugging Face cache (`models--{org}--{name}/blobs|snapshots|refs`,
 * the layout of huggingface_hub), so what Python tools downloaded is reused and vice versa; the
 * returned folder is `snapshots/<commit>`. With `dir` the files are written straight into it. Files
 * are requested from `{endpoint}/{model}/resolve/{revision}/{file}`; a complete file is never fetched
 * again, a partial one (`.incomplete`) is resumed with `Range: bytes=N-` and renamed into place only
 * when complete (length checked, and the sha256 of LFS files).
 *
 * @param modelName Hub id, `"gpt2"` or `"org/name"`
 * @param dir target folder; default the hub cache
 * @throws DownloadError: `E_DOWNLOAD_ARG` (a name that is malformed or would escape the cache),
 *   `E_DOWNLOAD_AUTH` (401/403, names HF_TOKEN), `E_DOWNLOAD_NOT_FOUND` (404, names file and repo),
 *   `E_DOWNLOAD_STALLED`, `E_DOWNLOAD_TRUNCATED`, `E_DOWNLOAD_NETWORK`, `E_DOWNLOAD_INTEGRITY`,
 *   `E_DOWNLOAD_HTTP`, `E_DOWNLOAD_OFFLINE`
 */
export async function downloadGPT2(modelName: string, dir?: string, options: DownloadOptions = {}): Promise<string> {
  validateRepoId(modelName);
  const revision = options.revision ?? 'main';
  validateRevision(revision);
  const env = process.env;
  const bar = options.progress === true || (options.progress === undefined && process.stderr.isTTY === true) ? terminalProgress() : undefined;
  const o: StoreOptions = {
    repoId: modelName,
    revision,
    endpoint: (options.endpoint ?? env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, ''),
    token: options.token ?? (env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined),
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 3,
    offline: options.offline ?? ['1', 'true', 'yes', 'on'].includes((env.HF_HUB_OFFLINE ?? '').toLowerCase()),
    onProgress: typeof options.progress === 'function' ? options.progress : bar?.update,
    onFile: options.onFile,
    signal: options.signal,
  };
  const store: FileStore = dir === undefined ? new CacheStore(new RepoCache(options.cacheDir ?? hubCacheDir(), modelName), o) : new LocalDirStore(dir, o);
  try {
    await store.get('config.json', false);
    await fetchWeights(store, modelName);
    for (const f of EXTRAS) await store.get(f, true);
  } finally {
    bar?.end();
  }
  return store.folder();
}
