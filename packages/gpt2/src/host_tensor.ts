/**
 * A tensor as read from a checkpoint file, before it becomes a gorch Tensor: row-major data in a
 * plain typed array. Floating dtypes (float64/32/16, bfloat16) are widened or narrowed to
 * float32; integer and bool dtypes become int32.
 */
export interface HostTensor {
  /** Dimensions, row-major. */
  shape: number[];
  /** `shape.reduce(*)` elements. */
  data: Float32Array | Int32Array;
}

/** Number of elements of a shape (1 for a scalar `[]`). */
export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `[in, out] -> [out, in]` for a 2-D tensor (Conv1D <-> Linear weight layout). */
export function transpose2d(t: HostTensor): HostTensor {
  const [r, c] = t.shape;
  const src = t.data;
  const out = new (src.constructor as Float32ArrayConstructor)(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j];
  }
  return { shape: [c, r], data: out };
}
