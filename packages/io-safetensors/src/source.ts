import { SafetensorsError } from './errors.js';

/**
 * Random-access bytes: a file, a Blob, an HTTP resource read with Range requests, or memory.
 * The lazy reader and the header reader only ever ask for the ranges they need.
 */
export interface ByteSource {
  /** Total size in bytes, when known (then trailing or missing bytes are detected). */
  readonly size?: number;
  /**
   * Resolves to the `length` bytes at `offset`, in a new (or exclusively owned) Uint8Array; fewer
   * only when the source ends first.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Releases the source (closes a file); optional. */
  close?(): Promise<void>;
}

/** Anything the readers accept in place of a {@link ByteSource}. */
export type SourceLike = ByteSource | Blob | Uint8Array | ArrayBuffer;

/** A {@link ByteSource} over bytes already in memory (reads are zero-copy subarrays). */
export function bytesSource(bytes: Uint8Array | ArrayBuffer): ByteSource {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return {
    size: b.length,
    read: async (offset, length) => b.subarray(Math.min(offset, b.length), Math.min(offset + length, b.length)),
  };
}

/** A {@link ByteSource} over a Blob or File (browser file input, `fetch().blob()`). */
export function blobSource(blob: Blob): ByteSource {
  return { size: blob.size, read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()) };
}

/**
 * A {@link ByteSource} reading `url` with HTTP Range requests (`fetch`), so a browser can read a
 * remote checkpoint's header (two small requests) or single tensors without downloading the file.
 * The size comes from the first response's `Content-Range`. The server must honour Range (206);
 * a 200 reply is refused rather than downloading the whole file.
 */
export function fetchRangeSource(url: string | URL, init: RequestInit = {}): ByteSource {
  const source: { size?: number } & ByteSource = {
    size: undefined,
    async read(offset, length) {
      if (length === 0) return new Uint8Array(0);
      const headers = new Headers(init.headers);
      headers.set('Range', `bytes=${offset}-${offset + length - 1}`);
      const res = await fetch(url, { ...init, headers });
      if (res.status === 416) return new Uint8Array(0);
      if (res.status !== 206) {
        throw new SafetensorsError('IoError', `GET ${String(url)} with Range answered ${res.status}, expected 206`, { file: String(url) });
      }
      const total = /\/(\d+)\s*$/.exec(res.headers.get('Content-Range') ?? '');
      if (total && source.size === undefined) (source as { size?: number }).size = Number(total[1]);
      const body = new Uint8Array(await res.arrayBuffer());
      return body.length > length ? body.subarray(0, length) : body;
    },
  };
  return source;
}

/** Normalizes a {@link SourceLike}; a string or URL path throws Unsupported (file paths need Node). */
export function toSource(x: SourceLike | string | URL): ByteSource {
  if (x instanceof Uint8Array || x instanceof ArrayBuffer) return bytesSource(x);
  if (typeof Blob !== 'undefined' && x instanceof Blob) return blobSource(x);
  if (typeof x === 'string' || x instanceof URL) {
    throw new SafetensorsError('Unsupported', `file paths need Node's file system (got ${String(x)}); pass a Blob, bytes or a ByteSource`);
  }
  if (x && typeof (x as ByteSource).read === 'function') return x as ByteSource;
  throw new SafetensorsError('Unsupported', 'expected a ByteSource, Blob, Uint8Array or ArrayBuffer');
}
