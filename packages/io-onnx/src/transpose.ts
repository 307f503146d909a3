// The one 2-D transpose io-onnx needs (Linear weights [out, in] <-> MatMul's [in, out]), bit-exact.

/**
 * `src` read as a row-major `[rows, cols]` matrix, transposed to `[cols, rows]`, keeping every bit
 * pattern as torch's `w.t().contiguous()` does. The elements move as 32-bit integers: a
 * `Float32Array` element read into a JS number and stored back turns a signalling NaN quiet
 * (0x7f800001 -> 0x7fc00001).
 */
export function transposeFloat32(src: Float32Array, rows: number, cols: number): Float32Array {
  const from = new Int32Array(src.buffer, src.byteOffset, rows * cols);
  const to = new Int32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) to[c * rows + r] = from[r * cols + c];
  return new Float32Array(to.buffer);
}
