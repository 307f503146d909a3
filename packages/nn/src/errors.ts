import { GorchError } from '@gorch/tensor';

/**
 * A state dict does not fit a module: missing or unexpected keys (strict loading), or a tensor whose
 * shape or dtype differs from the parameter it should fill. Code `E_STATE_DICT`; the message names
 * every offending key.
 */
export class StateDictError extends GorchError {
  constructor(message: string) {
    super('E_STATE_DICT', message);
  }
}

/**
 * A sequence (plus any cached positions) is longer than the model's `nPositions` (the rows of `wpe`).
 * Code `E_CONTEXT_LENGTH`; thrown before any embedding lookup, so nothing is read past `wpe`.
 */
export class ContextLengthError extends GorchError {
  constructor(message: string) {
    super('E_CONTEXT_LENGTH', message);
  }
}

/** A constructor or forward argument is invalid (bad size, probability, option). Code `E_ARG`. */
export class ArgumentError extends GorchError {
  constructor(message: string) {
    super('E_ARG', message);
  }
}
