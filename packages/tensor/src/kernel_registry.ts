import type { Backend, DataId } from './backend';
import type { DType, TypedArray } from './dtype';
import type { Shape } from './shape';

/** What a kernel sees of an input tensor: its storage id, the backend that owns it, shape, dtype. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly backend: Backend;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * What a kernel returns for each output: either fresh `values` (the engine writes them to the active
 * backend, taking ownership of the array) or a `dataId` already stored in the active backend, or the
 * `dataId` of one of the inputs (a view sharing storage, as `Reshape` does).
 */
export type KernelOutput =
  | { values: TypedArray; shape: Shape; dtype: DType; dataId?: undefined }
  | { dataId: DataId; shape: Shape; dtype: DType; values?: undefined };

/** Arguments of a kernel: inputs in the op's documented order, op attributes, the active backend. */
export interface KernelArgs<A = any> {
  inputs: TensorInfo[];
  attrs: A;
  backend: Backend;
}

/** A kernel: one named computation for one backend. */
export type KernelFunc<A = any> = (args: KernelArgs<A>) => KernelOutput | KernelOutput[];

/** Registration record of a kernel. */
export interface KernelConfig<A = any> {
  kernelName: string;
  backendName: string;
  kernelFunc: KernelFunc<A>;
}

const kernels = new Map<string, KernelConfig>();
const key = (backendName: string, kernelName: string): string => `${backendName}\u0000${kernelName}`;

/** Registers (or replaces) the kernel `kernelName` for backend `backendName`. */
export function registerKernel<A = any>(config: KernelConfig<A>): void {
  kernels.set(key(config.backendName, config.kernelName), config as KernelConfig);
}

/** The kernel registered for (backendName, kernelName), or `undefined`. */
export function getKernel(kernelName: string, backendName: string): KernelConfig | undefined {
  return kernels.get(key(backendName, kernelName));
}

/** Removes the kernel registered for (backendName, kernelName), if any. */
export function unregisterKernel(kernelName: string, backendName: string): void {
  kernels.delete(key(backendName, kernelName));
}

/** All kernels registered for `backendName`. */
export function getKernelsForBackend(backendName: string): KernelConfig[] {
  return [...kernels.values()].filter((k) => k.backendName === backendName);
}

/** Reads the values of a kernel input through the backend that owns it. */
export function readInput(info: TensorInfo): TypedArray {
  return info.backend.read(info.dataId);
}
