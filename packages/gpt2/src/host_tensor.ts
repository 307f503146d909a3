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

/**
 * The storage of `data` as 32-bit integer words (a view, no copy). Float32 values are moved through it
 * so every bit pattern survives, as in torch's copies: a `Float32Array` element read into a JS number
 * and stored back turns a signalling NaN quiet (0x7f800001 -> 0x7fc00001).
 */
function words(data: Float32Array | Int32Array): Int32Array {
  return data instanceof Int32Array ? data : new Int32Array(data.buffer, data.byteOffset, data.length);
}

/**
 * `[in, out] -> [out, in]` for a 2-D tensor (Conv1D <-> Linear weight layout), bit for bit like torch's
 * `w.t().contiguous()` (signalling NaNs included).
 */
export function transpose2d(t: HostTensor): HostTensor {
  const [r, c] = t.shape;
  const src = words(t.data);
  const out = new Int32Array(r * c);
  // 32x32 tiles keep both the reads and the writes in cache (a plain double loop is ~5x slower at GPT-2 sizes)
  const B = 32;
  for (let i0 = 0; i0 < r; i0 += B) {
    const i1 = Math.min(i0 + B, r);
    for (let j0 = 0; j0 < c; j0 += B) {
      const j1 = Math.min(j0 + B, c);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) out[j * r + i] = src[i * c + j];
      }
    }
  }
  return { shape: [c, r], data: t.data instanceof Float32Array ? new Float32Array(out.buffer) : out };
}
