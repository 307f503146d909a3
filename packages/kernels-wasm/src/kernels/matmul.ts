import { broadcastShapes, KernelName, type TensorInfo } from '@gorch/tensor';
import { WeightFormat, WeightLayout } from '../wasm_exports';
import { allFloat32, f32Ptr, layoutStorage, output, registerWasmKernel, type WasmCall } from './register';

const prod = (s: readonly number[]): number => s.reduce((p, q) => p * q, 1);

/**
 * Work (multiply-adds) below which a product never goes to the worker pool (bench/threads.ts on the
 * 2-vCPU development VM: smaller ones lost even when the machine was quiet). Above it the pool's
 * SplitPolicy picks the faster path from timings.
 */
export const THREAD_MIN_MACS = { matvec: 1 << 19, gemm: 1 << 21 };

/** Rows up to which half-width or panel weights stay in the matrix x vector kernels (HALF_MATVEC_ROWS in src/c/linear.c). */
const HALF_MATVEC_ROWS = 8;

const roundUp8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * Columns per chunk of a threaded product. gemm chunks each repack x, so fewer and wider. Dot-form
 * and panel matrix x vector chunks (`rowChunks`) are contiguous weight rows and cheap, so more of them balance a worker that
 * wakes late. Axpy-form ([K, N] weights, the decode layout) chunks each walk all K rows over a column
 * slice, so every extra chunk costs a pass over the rows: one chunk per thread was fastest on the
 * GPT-2 shapes (bench/threads.ts: 1.4-1.7× on 2 threads, against 1.1-1.4× with 512-column or N/4
 * chunks, whose 512 + 256 split of N = 768 also left one thread idle), and matrices of at most 512
 * columns stay on one thread.
 */
export function chunkColumns(N: number, threads: number, gemm: boolean, rowChunks: boolean): number {
  if (gemm) return roundUp8(Math.ceil(N / (threads * 2)));
  if (rowChunks) return roundUp8(Math.ceil(N / (threads * 4)));
  return N <= 512 ? N : roundUp8(Math.ceil(N / threads));
}

/**
 * x[rows, K] times one weight matrix (float32 or half-width storage, used in place): logically
 * [N, K] when `transposed` (nn.Linear) else [K, N]. The heap layout may differ from the logical one
 * (repack): a transposed heap flips which form the C code sees; [N, K] panels are read in place by
 * the 1-row kernel and packed from their storage by the gemm (rows > 8), as are half-width weights,
 * so no float32 copy of the matrix is made. Large products may be split by output columns between
 * the worker threads when the module has a pool and its policy finds that faster (bit-identical to
 * one thread; see thread_pool.ts and thread_policy.ts).
 */
function linearCall(call: WasmCall, rows: number, N: number, K: number, px: number, w: TensorInfo, transposed: boolean, pbias: number, out: number): void {
  let wd = layoutStorage(call, w); // a reshaped panel / transposed buffer comes back as rows
  if (wd.panelsOf !== null && !transposed) {
    // panels of a [K, N] right-hand matrix would be panels of the wrong axis: use plain values
    const t = call.be.materialize(wd);
    call.temps.push(t);
    wd = t;
  }
  const fmt = wd.format === 'bfloat16' || wd.format === 'float16' ? WeightFormat[wd.format] : WeightFormat.float32;
  const layout = wd.panelsOf !== null ? WeightLayout.panels : transposed !== (wd.transposedOf !== null) ? WeightLayout.nk : WeightLayout.kn;
  const km = call.be.km;
  const pool = km.pool;
  // which kernel the C code picks (gorch_linear_cols)
  const gemm = fmt === WeightFormat.float32 && layout !== WeightLayout.panels ? rows > 1 : rows > HALF_MATVEC_ROWS;
  const macs = rows * N * K;
  const step = pool === null ? N : chunkColumns(N, pool.size, gemm, layout !== WeightLayout.kn);
  if (pool !== null && step < N && macs >= (gemm ? THREAD_MIN_MACS.gemm : THREAD_MIN_MACS.matvec)) {
    const kind = gemm ? 'gemm' : layout === WeightLayout.panels ? 'panels' : layout === WeightLayout.nk ? 'dot' : 'axpy';
    const pooled = pool.policy.usePool(kind, macs);
    const t0 = performance.now();
    if (pooled) pool.linear(rows, N, K, px, wd.ptr, fmt, layout, pbias, out, step);
    else km.exports.gorch_linear(rows, N, K, px, wd.ptr, fmt, layout, pbias, out);
    pool.policy.record(kind, macs, pooled, performance.now() - t0);
    return;
  }
  km.exports.gorch_linear(rows, N, K, px, wd.ptr, fmt, layout, pbias, out);
}

/** MatMul (torch.matmul semantics, batch dims broadcast) and Linear (x Wᵀ + b). */
export function registerMatmul(): void {
  registerWasmKernel(KernelName.MatMul, ({ inputs }, call) => {
    const [a, b] = inputs;
    if (!allFloat32(inputs) || a.shape.length === 0 || b.shape.length === 0) return null;
    const aS = a.shape.length === 1 ? [1, a.shape[0]] : [...a.shape];
    const bS = b.shape.length === 1 ? [b.shape[0], 1] : [...b.shape];
    const M = aS[aS.length - 2], K = aS[aS.length - 1], N = bS[bS.length - 1];
    if (bS[bS.length - 2] !== K) return null; // the JS kernel raises the ShapeError
    const aBatch = aS.slice(0, -2), bBatch = bS.slice(0, -2);
    const batch = broadcastShapes(aBatch, bBatch, KernelName.MatMul) as number[];
    const outShape = [...batch, ...(a.shape.length === 1 ? [] : [M]), ...(b.shape.length === 1 ? [] : [N])];
    const { data, result } = output(call, outShape);
    if (data.size === 0) return result;
    if (K === 0) {
      call.be.km.f32().fill(0, data.ptr >>> 2, (data.ptr >>> 2) + data.size);
      return result;
    }
    const pa = f32Ptr(call, a);
    if (prod(bBatch) === 1) {
      // one right-hand matrix (weights): a's batch folds into rows, half-width weights stay half-width
      linearCall(call, prod(batch) * M, N, K, pa, b, false, 0, data.ptr);
      return result;
    }
    const pb = f32Ptr(call, b);
    const nb = prod(batch);
    const r = batch.length;
    const stride = (s: number[], mat: number): number[] => {
      const out = new Array<number>(r).fill(0);
      let acc = mat;
      for (let d = s.length - 1; d >= 0; d--) {
        out[d + r - s.length] = s[d] === 1 ? 0 : acc;
        acc *= s[d];
      }
      return out;
    };
    const sa = stride(aBatch, M * K), sb = stride(bBatch, K * N);
    const idx = new Array<number>(r).fill(0);
    const gemm = call.be.km.exports.gorch_gemm;
    for (let i = 0; i < nb; i++) {
      let oa = 0, ob = 0;
      for (let d = 0; d < r; d++) { oa += idx[d] * sa[d]; ob += idx[d] * sb[d]; }
      gemm(M, N, K, pa + 4 * oa, K, 1, pb + 4 * ob, N, 1, data.ptr + 4 * i * M * N, N, 0);
      for (let d = r - 1; d >= 0 && ++idx[d] === batch[d]; d--) idx[d] = 0;
    }
    return result;
  });

  registerWasmKernel(KernelName.Linear, ({ inputs }, call) => {
    const [x, w, bias] = inputs;
    if (!allFloat32(inputs) || x.shape.length === 0 || w.shape.length !== 2) return null;
    const K = x.shape[x.shape.length - 1], N = w.shape[0];
    if (w.shape[1] !== K || (bias && (bias.shape.length !== 1 || bias.shape[0] !== N))) return null;
    const rows = prod(x.shape.slice(0, -1)); // not numel / K: K may be 0
    const outShape = [...x.shape.slice(0, -1), N];
    const { data, result } = output(call, outShape);
    if (data.size === 0) return result;
    const px = f32Ptr(call, x);
    const pbias = bias ? f32Ptr(call, bias) : 0;
    if (K === 0) {
      const f = call.be.km.f32();
      for (let i = 0; i < rows; i++) for (let j = 0; j < N; j++) f[(data.ptr >>> 2) + i * N + j] = bias ? f[(pbias >>> 2) + j] : 0;
      return result;
    }
    linearCall(call, rows, N, K, px, w, true, pbias, data.ptr);
    return result;
  });
}
