import { GorchError } from '@gorch/tensor';

/**
 * Error raised by the wasm backend: the module could not be found, compiled or instantiated, the wasm
 * heap is exhausted, kernel worker threads did not start in time, or a kernel or option was given
 * arguments it cannot handle. `code` is one of `E_WASM_LOAD`, `E_WASM_OOM`, `E_WASM_ARG`,
 * `E_WASM_DISPOSED`, `E_WASM_THREAD_TIMEOUT`. `cause` (when given) is the underlying error, e.g.
 * fetch's TypeError whose own `cause` names the refused connection or unknown host.
 */
export class WasmKernelError extends GorchError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message);
    this.name = 'WasmKernelError';
    // GorchError's constructor takes no options, so set it as Error(message, { cause }) would.
    if (options && 'cause' in options) Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true, enumerable: false });
  }
}
