import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SafetensorsError } from '../errors.js';
import type { ByteSource } from '../source.js';

/** Largest single read (Linux caps read(2) just under 2 GiB). */
const MAX_READ = 0x40000000;

/** A path given as a string or a file: URL, as a string. */
export function pathOf(path: string | URL): string {
  return path instanceof URL ? fileURLToPath(path) : path;
}

/** Wraps a Node file-system error as an IoError naming the file. */
export function ioError(err: unknown, file: string, what: string): SafetensorsError {
  if (err instanceof SafetensorsError) return err;
  return new SafetensorsError('IoError', `${what}: ${(err as Error).message}`, { file, cause: err });
}

/**
 * A {@link ByteSource} over a file (Node). Each read lands in a fresh, exactly sized buffer, so
 * tensor data read through it is aligned and never copied again.
 */
export async function fileSource(path: string | URL): Promise<ByteSource & { close(): Promise<void>; path: string }> {
  const file = pathOf(path);
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw ioError(e, file, 'cannot open');
  }
  let size: number;
  try {
    size = (await fh.stat()).size;
  } catch (e) {
    await fh.close();
    throw ioError(e, file, 'cannot stat');
  }
  let closed = false;
  return {
    path: file,
    size,
    async read(offset, length) {
      const len = Math.max(0, Math.min(length, size - offset));
      const out = new Uint8Array(len);
      let got = 0;
      try {
        while (got < len) {
          const { bytesRead } = await fh.read(out, got, Math.min(MAX_READ, len - got), offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
      } catch (e) {
        throw ioError(e, file, 'cannot read');
      }
      return got === len ? out : out.subarray(0, got);
    },
    async close() {
      if (closed) return;
      closed = true;
      await fh.close();
    },
  };
}
