// Straightforward JS loops the C kernels are checked against, and a seeded generator for inputs.
import * as T from '@gorch/tensor';

/** mulberry32: small deterministic PRNG so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randn(n: number, r: () => number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 2 - 1) * scale;
  return out;
}

/** C[i,j] = sum_k A(i,k) B(k,j) with element strides, accumulated in float64. */
export function refGemm(M: number, N: number, K: number, A: Float32Array, sam: number, sak: number, B: Float32Array, sbk: number, sbn: number): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i * sam + k * sak] * B[k * sbk + j * sbn];
      C[i * N + j] = s;
    }
  return C;
}

/**
 * `T.matmul` of seeded random [M, K] and [K, N] float32 matrices on the active backend, beside the
 * same product accumulated in float64 by {@link refGemm}: the max absolute difference and the
 * largest |output| (a dead thread pool leaves zeros, which a tolerance alone would not catch).
 */
export function matmulVsFloat64(M: number, K: number, N: number, seed: number): { maxErr: number; maxAbs: number } {
  const r = rng(seed);
  const a = randn(M * K, r), b = randn(K * N, r);
  const want = refGemm(M, N, K, a, K, 1, b, N, 1);
  const A = T.tensor(a, { shape: [M, K] }), B = T.tensor(b, { shape: [K, N] });
  const y = T.matmul(A, B);
  const got = y.dataSync();
  let maxErr = 0, maxAbs = 0;
  for (let i = 0; i < M * N; i++) {
    maxErr = Math.max(maxErr, Math.abs(got[i] - want[i]));
    maxAbs = Math.max(maxAbs, Math.abs(got[i]));
  }
  for (const t of [A, B, y]) t.dispose();
  return { maxErr, maxAbs };
}

/** IEEE binary16 bits -> number, by the definition (no bit tricks). */
export function f16ToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** number -> nearest binary16 bits (ties away; enough for test data in the normal range). */
export function numberToF16(x: number): number {
  const s = x < 0 ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === 0) return s;
  if (a < 2 ** -14) return s | Math.round(a / 2 ** -24);
  let e = Math.floor(Math.log2(a));
  let m = Math.round((a / 2 ** e - 1) * 1024);
  if (m === 1024) { m = 0; e++; }
  if (e > 15) return s | 0x7c00;
  return s | ((e + 15) << 10) | m;
}

/** number -> bfloat16 bits by truncating a float32 (the value widened back is exactly representable). */
export function numberToBf16(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0] >>> 16;
}
export function bf16ToNumber(h: number): number {
  return new Float32Array(new Uint32Array([h << 16]).buffer)[0];
}

/** max |a - b| / (atol + rtol |b|) style check that reports the worst index. */
export function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>, atol: number): { err: number; at: number } {
  let err = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) / (atol + Math.abs(want[i]));
    if (!(e <= err)) { err = e; at = i; }
  }
  return { err, at };
}
