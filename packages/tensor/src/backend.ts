import type { DType, TypedArray } from './dtype';
import { GorchError } from './errors';
import type { Shape } from './shape';

/** Opaque handle to a tensor's storage inside one backend (compared by identity). */
export type DataId = object;

/** Memory counters reported by a backend. */
export interface BackendMemory {
  /** Number of live storage buffers. */
  numDataIds: number;
  /** Bytes held by live storage buffers. */
  numBytes: number;
}

/**
 * A compute backend stores tensor data only; it has no op methods (the tfjs-core `KernelBackend`
 * pattern). Kernels for a backend are registered separately in the kernel registry.
 */
export interface Backend {
  /** Registered name, e.g. `'js'` or `'wasm'`. */
  readonly name: string;
  /** Stores `values` (the backend may keep the array without copying: callers hand over ownership). */
  write(values: TypedArray, shape: Shape, dtype: DType): DataId;
  /**
   * Returns the values synchronously. Callers must not mutate the result unless
   * {@link Backend.readReturnsCopy} is `true`.
   */
  read(dataId: DataId): TypedArray;
  /**
   * `true` when every `read()` returns a fresh array that the caller owns (e.g. a copy out of a wasm
   * heap), so `Tensor.dataSync()` hands it out as is instead of copying it again. Absent or `false`:
   * `read()` may return the backend's own storage, which callers must copy before mutating.
   */
  readonly readReturnsCopy?: boolean;
  /** Frees the storage; later reads of `dataId` are errors. */
  disposeData(dataId: DataId): void;
  /** Number of live storage buffers (for leak tests). */
  numDataIds(): number;
  /** Memory counters. */
  memory(): BackendMemory;
}

/** Creates a backend instance; called lazily, once, the first time the backend is needed. */
export type BackendFactory = () => Backend;

interface Registration {
  factory: BackendFactory;
  priority: number;
  instance: Backend | null;
}

const registry = new Map<string, Registration>();
let activeName: string | null = null;

/**
 * Registers a backend. The registered backend with the highest `priority` becomes the default when no
 * backend was chosen with {@link setBackend}. Re-registering a name replaces the factory.
 */
export function registerBackend(name: string, factory: BackendFactory, priority = 1): void {
  const old = registry.get(name);
  registry.set(name, { factory, priority, instance: old?.instance ?? null });
}

/** Removes a backend (never `'js'`). If it was active, the default backend becomes active again. */
export function removeBackend(name: string): void {
  if (name === 'js') throw new GorchError('E_BACKEND', "removeBackend: the 'js' backend cannot be removed");
  registry.delete(name);
  if (activeName === name) activeName = null;
}

/** Makes `name` the active backend (new tensors and kernel runs go there). Throws if unknown. */
export function setBackend(name: string): void {
  if (!registry.has(name)) {
    throw new GorchError('E_BACKEND', `setBackend: unknown backend '${name}' (registered: ${[...registry.keys()].join(', ')})`);
  }
  instantiate(name);
  activeName = name;
}

/** Returns the backend instance registered as `name` (creating it if needed). */
export function findBackend(name: string): Backend {
  if (!registry.has(name)) throw new GorchError('E_BACKEND', `unknown backend '${name}'`);
  return instantiate(name);
}

/** Names of all registered backends, highest priority first. */
export function registeredBackends(): string[] {
  return [...registry.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
}

/** Name of the active backend. */
export function getBackendName(): string {
  if (activeName === null) {
    const best = registeredBackends()[0];
    if (best === undefined) throw new GorchError('E_BACKEND', 'no backend registered');
    activeName = best;
  }
  return activeName;
}

/** The active backend instance. */
export function getBackend(): Backend {
  return instantiate(getBackendName());
}

function instantiate(name: string): Backend {
  const reg = registry.get(name)!;
  if (reg.instance === null) reg.instance = reg.factory();
  return reg.instance;
}
