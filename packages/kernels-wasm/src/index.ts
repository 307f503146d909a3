export { initWasmBackend, capabilities, wasmKernelModule, disposeWasmThreads, type WasmCapabilities, type InitWasmOptions } from './init';
export { WasmBackend, WasmData, type StorageFormat } from './backend';
export { toHalfStorage, repack, fromHalfBits, storageFormat, storageLayout, type StorageLayout } from './half';
export { KernelModule } from './kernel_module';
export { compileKernelModule, WASM_FILES, type WasmLoadOptions } from './loader';
export { simdSupported, threadsSupport } from './simd_support';
export { ThreadPool } from './thread_pool';
export { WasmKernelError } from './errors';
export { BinaryOp, UnaryOp, WeightFormat, WeightLayout, type KernelExports } from './wasm_exports';
