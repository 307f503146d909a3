import { GorchError } from '@gorch/tensor';

/**
 * Error raised by the wasm backend: the module could not be found, compiled or instantiated, the wasm
 * heap is exhausted, kernel worker threads did not start in time, or a kernel was given arguments it
 * cannot handle. `code` is one of `E_WASM_LOAD`, `E_WASM_OOM`, `E_WASM_ARG`, `E_WASM_DISPOSED`,
 * `E_WASM_THREAD_TIMEOUT`.
 */
export class WasmKernelError extends GorchError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'WasmKernelError';
  }
}
