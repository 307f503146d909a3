import { GorchError, ShapeError, type Tensor, type TypedArray } from '@gorch/tensor';

/**
 * Overwrites the values of `target` in place (its storage, shared by its views), keeping the same
 * Tensor object so that modules, optimizers and tied weights that hold it all see the new values.
 * `source` must have the same number of elements. It writes into the array the owning backend's
 * `read()` returns, which is the live storage on the `'js'` backend; a backend that returns a copy is
 * detected (the write does not show on a second read) and reported as `E_BACKEND`.
 */
export function assignInPlace(target: Tensor, source: Tensor | TypedArray, what: string): void {
  const values = ArrayBuffer.isView(source) ? source : source.dataSync();
  if (values.length !== target.size) {
    throw new ShapeError(`${what}: cannot assign ${values.length} values to a tensor of shape [${target.shape.join(', ')}]`);
  }
  const live = target.backend.read(target.dataId);
  live.set(values);
  if (values.length > 0 && target.backend.read(target.dataId) !== live && !Object.is(target.backend.read(target.dataId)[0], live[0])) {
    throw new GorchError('E_BACKEND', `${what}: backend '${target.backend.name}' does not expose writable storage; in-place assignment is unsupported`);
  }
}
