/**
 * Typed errors of gorch. Every error thrown on bad input is a {@link GorchError} with a stable
 * machine-readable `code`, and its message names the op and the shapes / dtypes / index involved.
 */
export class GorchError extends Error {
  /** Stable error code, e.g. `'E_SHAPE'`, `'E_DTYPE'`, `'E_INDEX'`, `'E_DISPOSED'`, `'E_ARG'`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Shapes are incompatible (broadcasting, matmul inner dims, reshape sizes...). Code `E_SHAPE`. */
export class ShapeError extends GorchError {
  constructor(message: string) {
    super('E_SHAPE', message);
  }
}

/** An op received a dtype it does not support or dtypes that must match do not. Code `E_DTYPE`. */
export class DtypeError extends GorchError {
  constructor(message: string) {
    super('E_DTYPE', message);
  }
}

/** An index or axis is out of range. Code `E_INDEX`. */
export class IndexError extends GorchError {
  constructor(message: string) {
    super('E_INDEX', message);
  }
}
