import type { Backend, DataId } from './backend';
import type { DType, TypedArray } from './dtype';
import { GorchError, ShapeError } from './errors';
import type * as Ops from './ops/index';
import { fmtShape, sizeOf, stridesOf, type Shape } from './shape';
import { engine } from './engine';

type OpsTable = typeof Ops;
let ops: OpsTable | null = null;
/** @internal Installs the op functions behind the tensor methods (done by the package entry point). */
export function setOpHandler(table: OpsTable): void {
  ops = table;
}
function o(): OpsTable {
  if (ops === null) throw new GorchError('E_INIT', 'tensor methods are unavailable: import ops from "@gorch/tensor"');
  return ops;
}

/** Signature of the hook `@gorch/autograd` installs to implement {@link Tensor.backward}. */
export type BackwardHook = (t: Tensor, gradient?: Tensor) => void;
let backwardHook: BackwardHook | null = null;
/** Installs the `backward()` implementation (called by `@gorch/autograd` when it is imported). */
export function setBackwardHook(hook: BackwardHook | null): void {
  backwardHook = hook;
}

/** Nested arrays returned by {@link Tensor.toArray}. */
export type NestedArray = number | NestedArray[];

/**
 * An immutable n-d array handle: contiguous row-major storage owned by a backend. Create tensors with
 * `tensor`, `zeros`, `randn`...; every op returns a new tensor. Release memory with `dispose()`, a
 * `using` declaration, or `tidy`.
 */
export class Tensor {
  /** Unique id (creation order). */
  readonly id: number;
  /**
   * Storage handle inside {@link Tensor.backend}; views created by `reshape` share it. Only
   * `engine.assign` replaces it (in-place parameter updates); treat it as read-only.
   */
  dataId: DataId;
  /** Backend that owns the storage (replaced only together with `dataId` by `engine.assign`). */
  backend: Backend;
  /** Sizes, outermost first. `[]` for a scalar. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** True after `dispose()`. */
  isDisposed = false;
  /** When true, no `tidy` scope disposes this tensor (set by `keep`). */
  kept = false;
  /** Autograd: whether gradients flow to this tensor. Set by the user or by `@gorch/autograd`. */
  requiresGrad = false;
  /** Autograd: accumulated gradient after `backward()`, filled by `@gorch/autograd`. */
  grad: Tensor | null = null;
  /** Autograd: the tape node that produced this tensor (opaque to this package). */
  gradNode: unknown = null;

  /** @internal Use creation ops; the engine constructs tensors. */
  constructor(id: number, dataId: DataId, backend: Backend, shape: Shape, dtype: DType) {
    this.id = id;
    this.dataId = dataId;
    this.backend = backend;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
  /** Row-major strides in elements. */
  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** A copy of the values as a typed array (Float32Array or Int32Array), synchronously. */
  dataSync(): TypedArray {
    return engine.readSync(this).slice();
  }
  /** Values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const v = engine.readSync(this);
    const shape = this.shape;
    if (shape.length === 0) return v[0];
    const build = (dim: number, off: number): NestedArray[] => {
      const n = shape[dim];
      const out: NestedArray[] = new Array(n);
      if (dim === shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = v[off + i];
      } else {
        const stride = sizeOf(shape.slice(dim + 1));
        for (let i = 0; i < n; i++) out[i] = build(dim + 1, off + i * stride);
      }
      return out;
    };
    return build(0, 0);
  }
  /** The single value of a one-element tensor; throws {@link ShapeError} otherwise. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: tensor of shape ${fmtShape(this.shape)} has ${this.size} elements, expected 1`);
    return engine.readSync(this)[0];
  }
  /** Frees this handle (storage is freed when no view shares it). Idempotent. */
  dispose(): void {
    engine.disposeTensor(this);
  }
  /** `using t = ...` support (TC39 explicit resource management). */
  [Symbol.dispose](): void {
    this.dispose();
  }
  /**
   * Backpropagates from this tensor (a scalar, or pass `gradient` of the same shape). Implemented by
   * `@gorch/autograd`; throws `E_NO_AUTOGRAD` when that package was never imported.
   */
  backward(gradient?: Tensor): void {
    if (backwardHook === null) throw new GorchError('E_NO_AUTOGRAD', 'backward(): no autograd installed; import "@gorch/autograd" first');
    backwardHook(this, gradient);
  }
  toString(): string {
    return `Tensor(shape=${fmtShape(this.shape)}, dtype=${this.dtype})`;
  }

  add(b: Tensor | number): Tensor { return o().add(this, b); }
  sub(b: Tensor | number): Tensor { return o().sub(this, b); }
  mul(b: Tensor | number): Tensor { return o().mul(this, b); }
  div(b: Tensor | number): Tensor { return o().div(this, b); }
  pow(b: Tensor | number): Tensor { return o().pow(this, b); }
  eq(b: Tensor | number): Tensor { return o().eq(this, b); }
  gt(b: Tensor | number): Tensor { return o().gt(this, b); }
  lt(b: Tensor | number): Tensor { return o().lt(this, b); }
  ge(b: Tensor | number): Tensor { return o().ge(this, b); }
  le(b: Tensor | number): Tensor { return o().le(this, b); }
  neg(): Tensor { return o().neg(this); }
  exp(): Tensor { return o().exp(this); }
  log(): Tensor { return o().log(this); }
  sqrt(): Tensor { return o().sqrt(this); }
  abs(): Tensor { return o().abs(this); }
  tanh(): Tensor { return o().tanh(this); }
  sigmoid(): Tensor { return o().sigmoid(this); }
  relu(): Tensor { return o().relu(this); }
  gelu(options?: { approximate?: 'none' | 'tanh' }): Tensor { return o().gelu(this, options); }
  cast(dtype: DType): Tensor { return o().cast(this, dtype); }
  reshape(...shape: number[] | [Shape]): Tensor { return o().reshape(this, flat(shape)); }
  view(...shape: number[] | [Shape]): Tensor { return o().reshape(this, flat(shape)); }
  flatten(startDim = 0, endDim = -1): Tensor { return o().flatten(this, startDim, endDim); }
  squeeze(axis?: number): Tensor { return o().squeeze(this, axis); }
  unsqueeze(axis: number): Tensor { return o().unsqueeze(this, axis); }
  expand(...shape: number[] | [Shape]): Tensor { return o().expand(this, flat(shape)); }
  broadcastTo(shape: Shape): Tensor { return o().broadcastTo(this, shape); }
  transpose(dim0 = -2, dim1 = -1): Tensor { return o().transpose(this, dim0, dim1); }
  permute(...dims: number[] | [Shape]): Tensor { return o().permute(this, flat(dims)); }
  contiguous(): Tensor { return o().contiguous(this); }
  clone(): Tensor { return o().clone(this); }
  slice(axis: number, start: number, end?: number): Tensor { return o().slice(this, axis, start, end); }
  indexSelect(axis: number, index: Tensor | number[]): Tensor { return o().indexSelect(this, axis, index); }
  gather(axis: number, index: Tensor): Tensor { return o().gather(this, axis, index); }
  split(splitSize: number | number[], axis = 0): Tensor[] { return o().split(this, splitSize, axis); }
  maskedFill(mask: Tensor, value: number): Tensor { return o().maskedFill(this, mask, value); }
  tril(diagonal = 0): Tensor { return o().tril(this, diagonal); }
  triu(diagonal = 0): Tensor { return o().triu(this, diagonal); }
  matmul(b: Tensor): Tensor { return o().matmul(this, b); }
  sum(axis?: number | number[] | null, keepdim = false): Tensor { return o().sum(this, axis, keepdim); }
  mean(axis?: number | number[] | null, keepdim = false): Tensor { return o().mean(this, axis, keepdim); }
  max(axis?: number | null, keepdim = false): Tensor { return o().max(this, axis, keepdim); }
  min(axis?: number | null, keepdim = false): Tensor { return o().min(this, axis, keepdim); }
  argmax(axis?: number | null, keepdim = false): Tensor { return o().argmax(this, axis, keepdim); }
  var(axis?: number | number[] | null, options?: { unbiased?: boolean; keepdim?: boolean }): Tensor { return o().variance(this, axis, options); }
  softmax(axis = -1): Tensor { return o().softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return o().logSoftmax(this, axis); }
}

function flat(args: number[] | [Shape]): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as Shape)] : (args as number[]);
}
