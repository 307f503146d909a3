/**
 * Error codes, named after the variants of `SafeTensorError` in the reference implementation
 * (huggingface/safetensors, `safetensors/src/tensor.rs`) so that a failure here reads the same as a
 * failure there. `IoError` wraps a file-system error; `IndexParsingError` is the reference's name for
 * a bad sharded-checkpoint index (`safetensors/src/index.rs`).
 */
export type SafetensorsErrorCode =
  /** The file is shorter than the 8-byte header-size prefix. */
  | 'HeaderTooSmall'
  /** The declared header size is over {@link MAX_HEADER_SIZE}; checked before any allocation. */
  | 'HeaderTooLarge'
  /** The declared header runs past the end of the file. */
  | 'InvalidHeaderLength'
  /** The header bytes are not valid UTF-8. */
  | 'InvalidHeader'
  /** The header does not start with `{`. */
  | 'InvalidHeaderStart'
  /** The header is not JSON, not an object of the expected shape, has duplicate keys, an unknown
   * dtype, or a `__metadata__` that is not a string → string map. */
  | 'InvalidHeaderDeserialization'
  /** A tensor's shape × dtype size does not equal its byte range. */
  | 'TensorInvalidInfo'
  /** A tensor's offsets have begin > end, overlap, leave a gap, or do not start at 0. */
  | 'InvalidOffset'
  /** The data section is longer (trailing bytes) or shorter (truncated) than the last offset. */
  | 'MetadataIncompleteBuffer'
  /** Shape × dtype size overflows the largest exact integer (2^53 − 1 bytes here, usize there). */
  | 'ValidationOverflow'
  /** A sub-byte dtype (F4, F6_*) whose element count does not fill whole bytes. */
  | 'MisalignedSlice'
  /** The requested tensor name is not in the file. */
  | 'TensorNotFound'
  /** A tensor handed to the writer has a bad name, dtype, shape or data length. */
  | 'InvalidTensorView'
  /** Metadata handed to the writer is not a string → string map. */
  | 'JsonError'
  /** A `model.safetensors.index.json` is unreadable or inconsistent with its shards. */
  | 'IndexParsingError'
  /** The file system failed (open, read, write, rename); `cause` holds the original error. */
  | 'IoError'
  /** A file function was called where there is no file system (the browser build). */
  | 'Unsupported';

/**
 * Every failure of this package: a malformed file, a bad argument or an I/O error. `code` is stable
 * and machine-readable; the message names the file (when known) and the tensor involved.
 */
export class SafetensorsError extends Error {
  /** Which check failed; see {@link SafetensorsErrorCode}. */
  readonly code: SafetensorsErrorCode;
  /** The file the error concerns, when it came from a file. */
  readonly file: string | undefined;
  /** The tensor the error concerns, when one is at fault. */
  readonly tensor: string | undefined;

  constructor(
    code: SafetensorsErrorCode,
    message: string,
    options: { file?: string; tensor?: string; cause?: unknown } = {},
  ) {
    super(options.file === undefined ? `${code}: ${message}` : `${code}: ${message} (file ${options.file})`, {
      cause: options.cause,
    });
    this.name = 'SafetensorsError';
    this.code = code;
    this.file = options.file;
    this.tensor = options.tensor;
  }
}

/** Re-throws `err` with the file name attached when it is a {@link SafetensorsError} without one. */
export function withFile(err: unknown, file: string): unknown {
  if (err instanceof SafetensorsError && err.file === undefined) {
    const e = new SafetensorsError(err.code, err.message.slice(err.code.length + 2), {
      file,
      tensor: err.tensor,
      cause: err.cause,
    });
    e.stack = err.stack;
    return e;
  }
  return err;
}
