import { GorchError } from '@gorch/tensor';

/**
 * A command-line argument is invalid or names something that does not exist (code `E_CLI_ARG`);
 * the message names the option and the value. `gorch` prints it and exits with status 2.
 */
export class CliError extends GorchError {
  constructor(message: string) {
    super('E_CLI_ARG', message);
  }
}
