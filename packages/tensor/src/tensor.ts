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
    const v = engine.readSync(this);
    // A backend whose read() already copies (Backend.readReturnsCopy) must not pay for a second copy.
    return this.backend.readReturnsCopy === true ? v : v.slice();
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

  /** Method form of `add` (see that function for shapes, dtypes and errors). */
  add(b: Tensor | number): Tensor { return o().add(this, b); }
  /** Method form of `sub` (see that function for shapes, dtypes and errors). */
  sub(b: Tensor | number): Tensor { return o().sub(this, b); }
  /** Method form of `mul` (see that function for shapes, dtypes and errors). */
  mul(b: Tensor | number): Tensor { return o().mul(this, b); }
  /** Method form of `div` (see that function for shapes, dtypes and errors). */
  div(b: Tensor | number): Tensor { return o().div(this, b); }
  /** Method form of `pow` (see that function for shapes, dtypes and errors). */
  pow(b: Tensor | number): Tensor { return o().pow(this, b); }
  /** Method form of `eq` (see that function for shapes, dtypes and errors). */
  eq(b: Tensor | number): Tensor { return o().eq(this, b); }
  /** Method form of `gt` (see that function for shapes, dtypes and errors). */
  gt(b: Tensor | number): Tensor { return o().gt(this, b); }
  /** Method form of `lt` (see that function for shapes, dtypes and errors). */
  lt(b: Tensor | number): Tensor { return o().lt(this, b); }
  /** Method form of `ge` (see that function for shapes, dtypes and errors). */
  ge(b: Tensor | number): Tensor { return o().ge(this, b); }
  /** Method form of `le` (see that function for shapes, dtypes and errors). */
  le(b: Tensor | number): Tensor { return o().le(this, b); }
  /** Method form of `neg` (see that function for shapes, dtypes and errors). */
  neg(): Tensor { return o().neg(this); }
  /** Method form of `exp` (see that function for shapes, dtypes and errors). */
  exp(): Tensor { return o().exp(this); }
  /** Method form of `log` (see that function for shapes, dtypes and errors). */
  log(): Tensor { return o().log(this); }
  /** Method form of `sqrt` (see that function for shapes, dtypes and errors). */
  sqrt(): Tensor { return o().sqrt(this); }
  /** Method form of `abs` (see that function for shapes, dtypes and errors). */
  abs(): Tensor { return o().abs(this); }
  /** Method form of `tanh` (see that function for shapes, dtypes and errors). */
  tanh(): Tensor { return o().tanh(this); }
  /** Method form of `sigmoid` (see that function for shapes, dtypes and errors). */
  sigmoid(): Tensor { return o().sigmoid(this); }
  /** Method form of `relu` (see that function for shapes, dtypes and errors). */
  relu(): Tensor { return o().relu(this); }
  /** Method form of `gelu` (see that function for shapes, dtypes and errors). */
  gelu(options?: { approximate?: 'none' | 'tanh' }): Tensor { return o().gelu(this, options); }
  /** Method form of `cast` (see that function for shapes, dtypes and errors). */
  cast(dtype: DType): Tensor { return o().cast(this, dtype); }
  /** Method form of `reshape` (see that function for shapes, dtypes and errors). */
  reshape(...shape: number[] | [Shape]): Tensor { return o().reshape(this, flat(shape)); }
  /** Method form of `reshape` (see that function for shapes, dtypes and errors). */
  view(...shape: number[] | [Shape]): Tensor { return o().reshape(this, flat(shape)); }
  /** Method form of `flatten` (see that function for shapes, dtypes and errors). */
  flatten(startDim = 0, endDim = -1): Tensor { return o().flatten(this, startDim, endDim); }
  /** Method form of `squeeze` (see that function for shapes, dtypes and errors). */
  squeeze(axis?: number): Tensor { return o().squeeze(this, axis); }
  /** Method form of `unsqueeze` (see that function for shapes, dtypes and errors). */
  unsqueeze(axis: number): Tensor { return o().unsqueeze(this, axis); }
  /** Method form of `expand` (see that function for shapes, dtypes and errors). */
  expand(...shape: number[] | [Shape]): Tensor { return o().expand(this, flat(shape)); }
  /** Method form of `broadcastTo` (see that function for shapes, dtypes and errors). */
  broadcastTo(shape: Shape): Tensor { return o().broadcastTo(this, shape); }
  /** Method form of `transpose` (see that function for shapes, dtypes and errors). */
  transpose(dim0 = -2, dim1 = -1): Tensor { return o().transpose(this, dim0, dim1); }
  /** Method form of `permute` (see that function for shapes, dtypes and errors). */
  permute(...dims: number[] | [Shape]): Tensor { return o().permute(this, flat(dims)); }
  /** Method form of `contiguous` (see that function for shapes, dtypes and errors). */
  contiguous(): Tensor { return o().contiguous(this); }
  /** Method form of `clone` (see that function for shapes, dtypes and errors). */
  clone(): Tensor { return o().clone(this); }
  /** Method form of `slice` (see that function for shapes, dtypes and errors). */
  slice(axis: number, start: number, end?: number): Tensor { return o().slice(this, axis, start, end); }
  /** Method form of `indexSelect` (see that function for shapes, dtypes and errors). */
  indexSelect(axis: number, index: Tensor | number[]): Tensor { return o().indexSelect(this, axis, index); }
  /** Method form of `gather` (see that function for shapes, dtypes and errors). */
  gather(axis: number, index: Tensor): Tensor { return o().gather(this, axis, index); }
  /** Method form of `split` (see that function for shapes, dtypes and errors). */
  split(splitSize: number | number[], axis = 0): Tensor[] { return o().split(this, splitSize, axis); }
  /** Method form of `maskedFill` (see that function for shapes, dtypes and errors). */
  maskedFill(mask: Tensor, value: number): Tensor { return o().maskedFill(this, mask, value); }
  /** Method form of `tril` (see that function for shapes, dtypes and errors). */
  tril(diagonal = 0): Tensor { return o().tril(this, diagonal); }
  /** Method form of `triu` (see that function for shapes, dtypes and errors). */
  triu(diagonal = 0): Tensor { return o().triu(this, diagonal); }
  /** Method form of `matmul` (see that function for shapes, dtypes and errors). */
  matmul(b: Tensor): Tensor { return o().matmul(this, b); }
  /** Method form of `sum` (see that function for shapes, dtypes and errors). */
  sum(axis?: number | number[] | null, keepdim = false): Tensor { return o().sum(this, axis, keepdim); }
  /** Method form of `mean` (see that function for shapes, dtypes and errors). */
  mean(axis?: number | number[] | null, keepdim = false): Tensor { return o().mean(this, axis, keepdim); }
  /** Method form of `max` (see that function for shapes, dtypes and errors). */
  max(axis?: number | null, keepdim = false): Tensor { return o().max(this, axis, keepdim); }
  /** Method form of `min` (see that function for shapes, dtypes and errors). */
  min(axis?: number | null, keepdim = false): Tensor { return o().min(this, axis, keepdim); }
  /** Method form of `argmax` (see that function for shapes, dtypes and errors). */
  argmax(axis?: number | null, keepdim = false): Tensor { return o().argmax(this, axis, keepdim); }
  /** Method form of `variance` (see that function for shapes, dtypes and errors). */
  var(axis?: number | number[] | null, options?: { unbiased?: boolean; keepdim?: boolean }): Tensor { return o().variance(this, axis, options); }
  /** Method form of `softmax` (see that function for shapes, dtypes and errors). */
  softmax(axis = -1): Tensor { return o().softmax(this, axis); }
  /** Method form of `logSoftmax` (see that function for shapes, dtypes and errors). */
  logSoftmax(axis = -1): Tensor { return o().logSoftmax(this, axis); }
}

function flat(args: number[] | [Shape]): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as Shape)] : (args as number[]);
}
