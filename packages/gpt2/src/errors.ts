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
 * wrong shape (code `E_TENSOR_SHAPE`). The message names the checkpoint key, the expected and the
 * found shape.
 */
export class TensorLayoutError extends GorchError {
  readonly key: string;
  readonly expected: readonly number[];
  readonly found: readonly number[] | null;
  constructor(key: string, expected: readonly number[], found: readonly number[] | null, source: string) {
    super(
      found === null ? 'E_MISSING_TENSOR' : 'E_TENSOR_SHAPE',
      found === null
        ? `${source}: tensor "${key}" is missing (expected shape [${expected.join(', ')}])`
        : `${source}: tensor "${key}" has shape [${found.join(', ')}], expected [${expected.join(', ')}]`,
    );
    this.key = key;
    this.expected = expected;
    this.found = found;
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
