export { KernelModule } from './kernel_module';
export { compileKernelModule, WASM_FILES, type WasmLoadOptions } from './loader';
export { simdSupported, threadsSupport } from './simd_support';
export { WasmKernelError } from './errors';
export { BinaryOp, UnaryOp, type KernelExports } from './wasm_exports';
