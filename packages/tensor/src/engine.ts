import { findBackend, getBackend, registerBackend, type Backend, type DataId } from './backend';
import type { DType, TypedArray } from './dtype';
import { DtypeError, GorchError, ShapeError } from './errors';
import { jsKernels } from './kernels/index';
import { JsBackend } from './js_backend';
import { getKernel, registerKernel, type KernelOutput, type TensorInfo } from './kernel_registry';
import { ScopeTracker, type Scope } from './scope';
import { sizeOf, type Shape } from './shape';
import { Tensor } from './tensor';

/** What the recorder receives after every recorded kernel run. */
export interface KernelRecord {
  kernelName: string;
  inputs: Tensor[];
  outputs: Tensor[];
  attrs: Record<string, unknown>;
}

/** Called after a kernel ran while recording is on and some input has `requiresGrad`. */
export type Recorder = (record: KernelRecord) => void;

/** Anything `tidy` can return: tensors are kept, found inside arrays and plain objects. */
export type TensorContainer = void | Tensor | number | string | boolean | null | undefined | TensorContainer[] | { [k: string]: TensorContainer };

interface DataEntry {
  backend: Backend;
  refs: number;
}

/**
 * The engine runs kernels (looking them up in the kernel registry for the active backend and falling
 * back to `'js'`), owns tensor lifetimes (reference counts on storage, `tidy` scopes) and calls the
 * autograd recorder. Design after tfjs-core's `Engine`, with async-safe scopes.
 */
export class Engine {
  private readonly data = new Map<DataId, DataEntry>();
  private readonly scopes = new ScopeTracker();
  private recorder: Recorder | null = null;
  private recording = true;
  private live = 0;
  private nextId = 0;

  /** Installs (or removes, with `null`) the autograd recorder. */
  setRecorder(fn: Recorder | null): void {
    this.recorder = fn;
  }

  /** True when a recorder is installed. */
  hasRecorder(): boolean {
    return this.recorder !== null;
  }

  /** True when kernel runs are currently recorded (i.e. not inside `withRecording(false, ...)`). */
  isRecording(): boolean {
    return this.recording;
  }

  /**
   * Runs `fn` with recording switched on or off (autograd's `noGrad` is `withRecording(false, fn)`).
   * If `fn` returns a promise, the previous state is restored when it settles.
   */
  withRecording<R>(enabled: boolean, fn: () => R): R {
    const prev = this.recording;
    this.recording = enabled;
    let async = false;
    try {
      const r = fn();
      if (r instanceof Promise) {
        async = true;
        return r.finally(() => {
          this.recording = prev;
        }) as R;
      }
      return r;
    } finally {
      if (!async) this.recording = prev;
    }
  }

  /** Number of live (not disposed) tensors, for leak tests. */
  numTensors(): number {
    return this.live;
  }

  /** Number of live storage buffers over all backends (views share one buffer). */
  numDataIds(): number {
    return this.data.size;
  }

  /** Wraps `values` (ownership handed over) into a new tensor on the active backend. */
  makeTensor(values: TypedArray, shape: Shape, dtype: DType): Tensor {
    const backend = getBackend();
    const dataId = backend.write(values, shape, dtype);
    return this.track(dataId, backend, shape, dtype);
  }

  /** Reads a tensor's values through its owning backend (no copy on `'js'`; do not mutate unless the backend's `readReturnsCopy`). */
  readSync(t: Tensor): TypedArray {
    if (t.isDisposed) throw new GorchError('E_DISPOSED', `tensor #${t.id} ${JSON.stringify(t.shape)} was disposed`);
    return t.backend.read(t.dataId);
  }

  /** Runs a single-output kernel. See {@link Engine.runKernelMulti}. */
  runKernel(kernelName: string, inputs: Tensor[], attrs: Record<string, unknown> = {}): Tensor {
    return this.runKernelMulti(kernelName, inputs, attrs)[0];
  }

  /**
   * Runs kernel `kernelName` on the active backend, or the `'js'` kernel when the active backend has
   * none (the JS kernel then reads inputs through their owning backend; outputs go to the active
   * backend). Calls the recorder afterwards when recording is on and an input requires grad.
   */
  runKernelMulti(kernelName: string, inputs: Tensor[], attrs: Record<string, unknown> = {}): Tensor[] {
    const backend = getBackend();
    let config = getKernel(kernelName, backend.name);
    const fallback = config === undefined;
    if (fallback) config = getKernel(kernelName, 'js');
    if (config === undefined) throw new GorchError('E_NO_KERNEL', `no kernel '${kernelName}' registered for backend '${backend.name}' or 'js'`);
    const infos: TensorInfo[] = [];
    const moved: TensorInfo[] = [];
    for (const t of inputs) {
      if (t.isDisposed) throw new GorchError('E_DISPOSED', `${kernelName}: input tensor #${t.id} ${JSON.stringify(t.shape)} was disposed`);
      if (!fallback && t.backend !== backend) {
        // A backend's own kernel only understands its own storage: copy foreign inputs in.
        const info = { dataId: backend.write(t.backend.read(t.dataId).slice(), t.shape, t.dtype), backend, shape: t.shape, dtype: t.dtype };
        moved.push(info);
        infos.push(info);
      } else {
        infos.push({ dataId: t.dataId, backend: t.backend, shape: t.shape, dtype: t.dtype });
      }
    }
    const freeMoved = (): void => {
      for (const m of moved) if (!this.data.has(m.dataId)) backend.disposeData(m.dataId);
    };
    let result: KernelOutput | KernelOutput[];
    try {
      result = config.kernelFunc({ inputs: infos, attrs, backend });
    } catch (e) {
      freeMoved();
      // Safety net behind the op-level size checks: a kernel allocating more than the engine's
      // typed-array limit gets a typed error naming the kernel and its inputs, not a raw RangeError.
      if (e instanceof RangeError && /Invalid typed array length/.test(e.message)) {
        throw new ShapeError(`${kernelName}: output too large for inputs ${inputs.map((t) => JSON.stringify(t.shape)).join(', ')} (${e.message})`);
      }
      throw e;
    }
    const outs = Array.isArray(result) ? result : [result];
    const outputs = outs.map((o) => {
      if (o.values !== undefined) {
        if (o.values.length !== sizeOf(o.shape)) throw new GorchError('E_KERNEL', `${kernelName}: kernel returned ${o.values.length} values for shape ${JSON.stringify(o.shape)}`);
        return this.track(backend.write(o.values, o.shape, o.dtype), backend, o.shape, o.dtype);
      }
      const owner = infos.find((i) => i.dataId === o.dataId)?.backend ?? backend;
      return this.track(o.dataId, owner, o.shape, o.dtype);
    });
    freeMoved();
    if (this.recorder !== null && this.recording && inputs.some((t) => t.requiresGrad)) {
      this.recorder({ kernelName, inputs, outputs, attrs });
    }
    return outputs;
  }

  /**
   * Runs `fn` in a scope and disposes every tensor created inside it that is neither returned (found in
   * the returned value, arrays and plain objects) nor passed to {@link Engine.keep}. Works with async
   * functions: disposal happens when the promise settles. Returned tensors move to the enclosing scope.
   */
  tidy<T extends TensorContainer | Promise<TensorContainer>>(fn: () => T): T {
    const scope: Scope = { tensors: [], parent: this.scopes.current() };
    let result: T;
    try {
      result = this.scopes.run(scope, fn);
    } catch (e) {
      this.endScope(scope, undefined);
      throw e;
    }
    if (result instanceof Promise) {
      return result.then(
        (v) => {
          this.endScope(scope, v as TensorContainer);
          return v;
        },
        (e) => {
          this.endScope(scope, undefined);
          throw e;
        },
      ) as T;
    }
    this.endScope(scope, result as TensorContainer);
    return result;
  }

  /** Marks `t` so that no enclosing `tidy` disposes it. Returns `t`. */
  keep<T extends Tensor>(t: T): T {
    t.kept = true;
    return t;
  }

  /** Disposes a tensor (idempotent); frees its storage when no other tensor shares it. */
  disposeTensor(t: Tensor): void {
    if (t.isDisposed) return;
    t.isDisposed = true;
    this.live--;
    const entry = this.data.get(t.dataId);
    if (entry && --entry.refs === 0) {
      this.data.delete(t.dataId);
      entry.backend.disposeData(t.dataId);
    }
  }

  /**
   * Gives `target` the values of `source` while keeping the `target` object (tfjs `Variable.assign`,
   * torch `param.copy_` under no_grad): target then shares source's storage and releases its own when
   * nothing else shares it. Optimizers and state-dict loading use it, so modules, optimizers and tied
   * weights holding `target` all see the new values on every backend. Views made from `target` earlier
   * keep the old values. Not recorded by autograd. Throws ShapeError / DtypeError on a mismatch and
   * `E_DISPOSED` for a disposed tensor.
   */
  assign(target: Tensor, source: Tensor): void {
    for (const t of [target, source]) {
      if (t.isDisposed) throw new GorchError('E_DISPOSED', `assign: tensor #${t.id} ${JSON.stringify(t.shape)} was disposed`);
    }
    if (target.shape.length !== source.shape.length || target.shape.some((d, i) => d !== source.shape[i])) {
      throw new ShapeError(`assign: source shape ${JSON.stringify(source.shape)} differs from target shape ${JSON.stringify(target.shape)}`);
    }
    if (target.dtype !== source.dtype) throw new DtypeError(`assign: source dtype ${source.dtype} differs from target dtype ${target.dtype}`);
    if (target.dataId === source.dataId) return;
    this.data.get(source.dataId)!.refs++;
    const old = this.data.get(target.dataId);
    if (old && --old.refs === 0) {
      this.data.delete(target.dataId);
      old.backend.disposeData(target.dataId);
    }
    target.dataId = source.dataId;
    target.backend = source.backend;
  }

  private track(dataId: DataId, backend: Backend, shape: Shape, dtype: DType): Tensor {
    const entry = this.data.get(dataId);
    if (entry) entry.refs++;
    else this.data.set(dataId, { backend, refs: 1 });
    const t = new Tensor(this.nextId++, dataId, backend, shape, dtype);
    this.live++;
    this.scopes.current()?.tensors.push(t);
    return t;
  }

  private endScope(scope: Scope, result: TensorContainer): void {
    const keepSet = new Set<Tensor>();
    collectTensors(result, keepSet);
    for (const t of scope.tensors) {
      if (keepSet.has(t) || t.kept) continue;
      this.disposeTensor(t);
    }
    if (scope.parent) {
      // Only tensors created in this scope move up: a returned tensor from outside (e.g. a weight)
      // must not be adopted, or the enclosing tidy would dispose it (tfjs-core checks scopeId alike).
      const own = new Set(scope.tensors);
      for (const t of keepSet) if (!t.isDisposed && own.has(t)) scope.parent.tensors.push(t);
    }
  }
}

function collectTensors(v: unknown, out: Set<Tensor>): void {
  if (v instanceof Tensor) out.add(v);
  else if (Array.isArray(v)) for (const x of v) collectTensors(x, out);
  else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v)) collectTensors(x, out);
  }
}

registerBackend('js', () => new JsBackend(), 1);
for (const k of jsKernels) registerKernel(k);
findBackend('js');

/** The process-wide engine. */
export const engine = new Engine();

/** See {@link Engine.tidy}. */
export const tidy = <T extends TensorContainer | Promise<TensorContainer>>(fn: () => T): T => engine.tidy(fn);
/** See {@link Engine.keep}. */
export const keep = <T extends Tensor>(t: T): T => engine.keep(t);
/** See {@link Engine.numTensors}. */
export const numTensors = (): number => engine.numTensors();
/** Disposes every tensor found in `container` (tensors, arrays and plain objects of tensors). */
export function dispose(container: TensorContainer): void {
  const s = new Set<Tensor>();
  collectTensors(container, s);
  for (const t of s) t.dispose();
}
