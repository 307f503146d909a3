import { initWasmBackend } from '@gorch/kernels-wasm';
import { setBackend } from '@gorch/tensor';
import { CliError } from './errors';
import type { CliIO } from './io';

/** The compute backends `--backend` accepts: `wasm` (the SIMD C kernels, default) and `js`. */
export const BACKENDS = ['wasm', 'js'] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * Activates the compute backend for this run. `wasm` (the default, as issue 6 asks: the fast
 * backend wherever it loads) falls back to `js` with a note on stderr if the WebAssembly module
 * cannot be compiled here; results agree to float tolerance either way.
 * @throws CliError for a name that is not in {@link BACKENDS}.
 */
export async function useBackend(name: string, io: CliIO): Promise<BackendName> {
  if (!(BACKENDS as readonly string[]).includes(name)) throw new CliError(`--backend: expected one of ${BACKENDS.join(', ')}, got "${name}"`);
  if (name === 'js') {
    setBackend('js');
    return 'js';
  }
  try {
    await initWasmBackend();
    return 'wasm';
  } catch (e) {
    io.stderr.write(`gorch: the wasm backend did not load (${(e as Error).message}); using js\n`);
    setBackend('js');
    return 'js';
  }
}
