import { ShapeError, engine, tensor, type Tensor, type TypedArray } from '@gorch/tensor';

/**
 * Gives `target` new values while keeping the Tensor object, so modules, optimizers and tied weights
 * that hold it all see them (via `engine.assign`, which works on every backend). `source` is a tensor
 * of the same shape and dtype, or a typed array with target.size elements. Throws ShapeError /
 * DtypeError naming `what` on a mismatch.
 */
export function assignInPlace(target: Tensor, source: Tensor | TypedArray, what: string): void {
  if (ArrayBuffer.isView(source)) {
    if (source.length !== target.size) {
      throw new ShapeError(`${what}: cannot assign ${source.length} values to a tensor of shape [${target.shape.join(', ')}]`);
    }
    const t = tensor(source, { shape: [...target.shape], dtype: target.dtype });
    engine.assign(target, t);
    t.dispose();
    return;
  }
  engine.assign(target, source);
}
