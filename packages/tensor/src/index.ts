// Public API of @gorch/tensor.
import * as ops from './ops/index';
import { setOpHandler } from './tensor';

setOpHandler(ops);

export { GorchError, ShapeError, DtypeError, IndexError } from './errors';
export { type DType, type TypedArray, DTYPES, promoteTypes } from './dtype';
export { type Shape, sizeOf, stridesOf, broadcastShapes, normalizeAxis, shapesEqual, checkNumel, MAX_ELEMENTS } from './shape';
export {
  type Backend,
  type BackendFactory,
  type BackendMemory,
  type DataId,
  registerBackend,
  removeBackend,
  setBackend,
  getBackend,
  getBackendName,
  findBackend,
  registeredBackends,
} from './backend';
export {
  type KernelArgs,
  type KernelConfig,
  type KernelFunc,
  type KernelOutput,
  type TensorInfo,
  registerKernel,
  getKernel,
  unregisterKernel,
  getKernelsForBackend,
  readInput,
} from './kernel_registry';
export { KernelName } from './kernel_names';
export { Engine, engine, tidy, keep, numTensors, dispose, type KernelRecord, type Recorder, type TensorContainer } from './engine';
export { Tensor, setBackwardHook, type BackwardHook, type NestedArray } from './tensor';
export { JsBackend } from './js_backend';
export { Generator, manualSeed, defaultGenerator, DEFAULT_SEED } from './random';
export * from './ops/index';
