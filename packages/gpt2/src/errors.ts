import { GorchError } from '@gorch/tensor';

/**
 * A checkpoint folder or file cannot be used: no weights file, a malformed index, a truncated or
 * non-little-endian archive. Code `E_CHECKPOINT`; the message names the file.
 */
export class CheckpointError extends GorchError {
  constructor(message: string) {
    super('E_CHECKPOINT', message);
  }
}

/**
 * A tensor the architecture needs is missing (`found === null`, code `E_MISSING_TENSOR`) or has the
 * wrong shape (code `E_TENSOR_SHAPE`): the message names the checkpoint key, the expected and the
 * found shape. Or the checkpoint has parameters the architecture does not (code
 * `E_UNEXPECTED_TENSOR`, e.g. layers past `n_layer`): `unexpected` lists them all, the message the
 * first few, and `key` is the first.
 */
export class TensorLayoutError extends GorchError {
  readonly key: string;
  /** Expected shape (`[]` for an unexpected tensor). */
  readonly expected: readonly number[];
  readonly found: readonly number[] | null;
  /** Checkpoint keys with no parameter to go to (code `E_UNEXPECTED_TENSOR`); empty otherwise. */
  readonly unexpected: readonly string[];
  /**
   * @param unexpected when non-empty, the error is `E_UNEXPECTED_TENSOR` about these keys and
   *   `reason` says why they are unexpected; `key` / `expected` / `found` are then ignored
   */
  constructor(key: string, expected: readonly number[], found: readonly number[] | null, source: string, unexpected: readonly string[] = [], reason = '') {
    const shown = unexpected.slice(0, 6).join(', ') + (unexpected.length > 6 ? `, ... (${unexpected.length} keys)` : '');
    super(
      unexpected.length > 0 ? 'E_UNEXPECTED_TENSOR' : found === null ? 'E_MISSING_TENSOR' : 'E_TENSOR_SHAPE',
      unexpected.length > 0
        ? `${source}: unexpected tensors ${shown}: ${reason}`
        : found === null
          ? `${source}: tensor "${key}" is missing (expected shape [${expected.join(', ')}])`
          : `${source}: tensor "${key}" has shape [${found.join(', ')}], expected [${expected.join(', ')}]`,
    );
    this.key = unexpected.length > 0 ? unexpected[0] : key;
    this.expected = unexpected.length > 0 ? [] : expected;
    this.found = unexpected.length > 0 ? null : found;
    this.unexpected = unexpected;
  }
}

/**
 * A pickle (inside `pytorch_model.bin`) is malformed, uses an opcode this reader does not implement,
 * or names a global outside the allow-list (code `E_PICKLE_GLOBAL`, the message names the global:
 * nothing from a pickle is ever executed). Other problems: code `E_PICKLE`.
 */
export class PickleError extends GorchError {
  constructor(message: string, code: 'E_PICKLE' | 'E_PICKLE_GLOBAL' = 'E_PICKLE') {
    super(code, message);
  }
}

/** A `config.json` or a {@link GPT2Config} is invalid or asks for an unsupported feature. Code `E_CONFIG`. */
export class ConfigError extends GorchError {
  constructor(message: string) {
    super('E_CONFIG', message);
  }
}

/**
 * Invalid argument of a gpt2 function: generation / training (empty prompt, bad temperature, ids
 * that are not token ids...) or saving (not a model). Code `E_ARG`; the message names the argument.
 */
export class GenerateError extends GorchError {
  constructor(message: string) {
    super('E_ARG', message);
  }
}

/**
 * Invalid options of `loadGPT2` / `loadGPT2Verbose`: not an object, a field of the wrong type, or an
 * `onWeight` hook that returned something other than a live float32 tensor of the parameter's
 * shape. Code `E_ARG`; the message names the option or the parameter.
 */
export class LoadOptionError extends GorchError {
  constructor(message: string) {
    super('E_ARG', message);
  }
}
