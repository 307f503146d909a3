import { registerAttentionKernel } from './attention';
import { registerConvKernels } from './conv';
import { registerCopyKernels } from './copy';
import { registerElementwise } from './elementwise';
import { registerGather } from './gather';
import { registerHalfKernels } from './half';
import { registerMatmul } from './matmul';
import { registerRowKernels } from './rows';

let registered = false;

/** Registers every `'wasm'` kernel once; kernels not listed here fall back to `'js'` in the engine. */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  registerElementwise();
  registerMatmul();
  registerRowKernels();
  registerGather();
  registerHalfKernels();
  registerCopyKernels();
  registerConvKernels();
  registerAttentionKernel();
}
