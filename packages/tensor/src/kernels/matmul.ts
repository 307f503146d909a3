import { promoteTypes, type DType, type TypedArray } from '../dtype';
import { readInput, type KernelConfig } from '../kernel_registry';
import { KernelName } from '../kernel_names';
import { broadcastShapes, fmtShape, sizeOf } from '../shape';
import { ShapeError } from '../errors';
import { gemmNN, gemmNT, gemvRow } from './gemm';
import { broadcastIndex, result } from './util';

// The GEMM loops only ever see Float32Array so their element loads stay monomorphic; int32 operands
// (exact in float32 up to 2^24) are converted on the way in and rounded back on the way out.
const asF32 = (v: TypedArray): Float32Array => (v instanceof Float32Array ? v : Float32Array.from(v));
const finish = (out: Float32Array, dtype: DType): TypedArray => (dtype === 'float32' ? out : Int32Array.from(out, Math.round));

/**
 * `MatMul`: [a (..., M, K), b (..., K, N)] → (..., M, N), both rank ≥ 2 (the op reshapes 1-D operands),
 * batch dims broadcast (torch.matmul). N == 1 takes the matrix×vector path.
 */
export const matMulKernel: KernelConfig = {
  kernelName: KernelName.MatMul,
  backendName: 'js',
  kernelFunc: ({ inputs }) => {
    const [ai, bi] = inputs;
    const ra = ai.shape.length;
    const rb = bi.shape.length;
    const M = ai.shape[ra - 2];
    const K = ai.shape[ra - 1];
    const N = bi.shape[rb - 1];
    if (bi.shape[rb - 2] !== K) throw new ShapeError(`matmul: inner dims differ: ${fmtShape(ai.shape)} @ ${fmtShape(bi.shape)}`);
    const aBatch = ai.shape.slice(0, -2);
    const bBatch = bi.shape.slice(0, -2);
    const batch = broadcastShapes(aBatch, bBatch, 'matmul');
    const nb = sizeOf(batch);
    const dtype = promoteTypes(ai.dtype, bi.dtype);
    const a = asF32(readInput(ai));
    const b = asF32(readInput(bi));
    const out = new Float32Array(nb * M * N);
    const ia = broadcastIndex(aBatch, batch);
    const ib = broadcastIndex(bBatch, batch);
    for (let p = 0; p < nb; p++) {
      const aOff = ia[p] * M * K;
      const bOff = ib[p] * K * N;
      const cOff = p * M * N;
      if (N === 1) {
        // b is a column: each output is a row of a dotted with it
        for (let i = 0; i < M; i++) gemvRow(b, bOff, a, aOff + i * K, out, cOff + i, K, 1, null);
      } else {
        gemmNN(a, aOff, b, bOff, out, cOff, M, K, N);
      }
    }
    return result(finish(out, dtype), [...batch, M, N], dtype);
  },
};

/**
 * `Linear`: [x (..., in), weight (out, in), bias? (out)] → (..., out) = x·weightᵀ + bias
 * (torch.nn.functional.linear). Uses the transposed-B kernel directly on the [out, in] layout.
 */
export const linearKernel: KernelConfig = {
  kernelName: KernelName.Linear,
  backendName: 'js',
  kernelFunc: ({ inputs }) => {
    const [xi, wi, bi] = inputs;
    const K = xi.shape[xi.shape.length - 1];
    const N = wi.shape[0];
    const M = sizeOf(xi.shape) / (K || 1);
    const x = asF32(readInput(xi));
    const w = asF32(readInput(wi));
    const bias = bi ? asF32(readInput(bi)) : null;
    const dtype = promoteTypes(promoteTypes(xi.dtype, wi.dtype), bi ? bi.dtype : xi.dtype);
    const out = new Float32Array(M * N);
    if (M === 1) gemvRow(x, 0, w, 0, out, 0, K, N, bias);
    else gemmNT(x, 0, w, 0, out, 0, M, K, N, bias);
    return result(finish(out, dtype), [...xi.shape.slice(0, -1), N], dtype);
  },
};
