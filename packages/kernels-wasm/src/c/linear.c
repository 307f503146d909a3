/* y[M,N] = x[M,K] W (+ bias) where W is float32, bfloat16 or float16, stored either as [N,K]
 * (nn.Linear, transposed = 1) or [K,N] (GPT-2 Conv1D / plain matmul, transposed = 0).
 * Few rows (decoding) stream the weights through the matrix x vector kernels, widening half-width
 * weights in registers; many rows widen half-width weights once into `scratch` (N*K floats, only
 * needed then) and run the packed gemm. */
#include "simd.h"

enum { FMT_F32 = 0, FMT_BF16 = 1, FMT_F16 = 2 };

void gorch_gemm(int M, int N, int K, const float *A, int sam, int sak, const float *B, int sbk, int sbn,
                float *C, int ldc, int accumulate);
void gorch_matvec_f32(int N, int K, const float *W, const float *x, float *y);
void gorch_matvec_bf16(int N, int K, const uint16_t *W, const float *x, float *y);
void gorch_matvec_f16(int N, int K, const uint16_t *W, const float *x, float *y);
void gorch_vecmat_f32(int K, int N, const float *x, const float *W, float *y, int accumulate);
void gorch_vecmat_bf16(int K, int N, const float *x, const uint16_t *W, float *y, int accumulate);
void gorch_vecmat_f16(int K, int N, const float *x, const uint16_t *W, float *y, int accumulate);

/* Rows up to which half-width weights go through matvec instead of widen + gemm. */
#define HALF_MATVEC_ROWS 8

EXPORT void gorch_widen(int fmt, int n, const uint16_t *src, float *dst) {
  int i = 0;
  if (fmt == FMT_BF16) {
    for (; i + 4 <= n; i += 4) f4_store(dst + i, f4_load_bf16(src + i));
  } else {
    for (; i + 4 <= n; i += 4) f4_store(dst + i, f4_load_f16(src + i));
  }
  if (i < n) {
    uint16_t t[4] = {0, 0, 0, 0};
    for (int j = 0; i + j < n; j++) t[j] = src[i + j];
    f4 v = fmt == FMT_BF16 ? f4_load_bf16(t) : f4_load_f16(t);
    for (int j = 0; i + j < n; j++) dst[i + j] = v[j];
  }
}

/* float32 -> bfloat16 with round-to-nearest-even (NaN kept quiet), the conversion torch uses. */
EXPORT void gorch_narrow_bf16(int n, const float *src, uint16_t *dst) {
  for (int i = 0; i < n; i++) {
    uint32_t b;
    memcpy(&b, src + i, 4);
    if ((b & 0x7fffffffu) > 0x7f800000u) dst[i] = (uint16_t)((b >> 16) | 0x40);
    else dst[i] = (uint16_t)((b + 0x7fffu + ((b >> 16) & 1u)) >> 16);
  }
}

/* float32 -> IEEE binary16, round-to-nearest-even, overflow to Inf, subnormals kept. */
EXPORT void gorch_narrow_f16(int n, const float *src, uint16_t *dst) {
  for (int i = 0; i < n; i++) {
    uint32_t b;
    memcpy(&b, src + i, 4);
    uint32_t sign = (b >> 16) & 0x8000u, a = b & 0x7fffffffu;
    uint16_t h;
    if (a > 0x7f800000u) h = 0x7e00;                      /* NaN */
    else if (a >= 0x477ff000u) h = 0x7c00;                /* rounds to >= 65520: Inf */
    else if (a >= 0x38800000u) {                          /* normal half */
      uint32_t r = a - 0x38000000u;                       /* rebias exponent 127 -> 15 */
      h = (uint16_t)((r + 0xfffu + ((r >> 13) & 1u)) >> 13);
    } else if (a >= 0x33000000u) {                        /* subnormal half */
      int e = (int)(a >> 23);
      uint32_t m = (a & 0x7fffffu) | 0x800000u;
      int shift = 126 - e;                                /* 14 + (113 - e) - 1 */
      uint32_t q = m >> shift, rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1);
      if (rem > half || (rem == half && (q & 1u))) q++;
      h = (uint16_t)q;
    } else h = 0;
    dst[i] = (uint16_t)(h | sign);
  }
}

EXPORT void gorch_linear(int M, int N, int K, const float *x, const void *W, int fmt, int transposed,
                         const float *bias, float *out, float *scratch) {
  if (fmt == FMT_F32 && M > 1) {
    if (transposed) gorch_gemm(M, N, K, x, K, 1, (const float *)W, 1, K, out, N, 0);
    else gorch_gemm(M, N, K, x, K, 1, (const float *)W, N, 1, out, N, 0);
  } else if (fmt != FMT_F32 && M > HALF_MATVEC_ROWS) {
    gorch_widen(fmt, N * K, (const uint16_t *)W, scratch);
    if (transposed) gorch_gemm(M, N, K, x, K, 1, scratch, 1, K, out, N, 0);
    else gorch_gemm(M, N, K, x, K, 1, scratch, N, 1, out, N, 0);
  } else {
    for (int i = 0; i < M; i++) {
      const float *xi = x + (size_t)i * K;
      float *yi = out + (size_t)i * N;
      if (transposed) {
        if (fmt == FMT_F32) gorch_matvec_f32(N, K, (const float *)W, xi, yi);
        else if (fmt == FMT_BF16) gorch_matvec_bf16(N, K, (const uint16_t *)W, xi, yi);
        else gorch_matvec_f16(N, K, (const uint16_t *)W, xi, yi);
      } else {
        if (fmt == FMT_F32) gorch_vecmat_f32(K, N, xi, (const float *)W, yi, 0);
        else if (fmt == FMT_BF16) gorch_vecmat_bf16(K, N, xi, (const uint16_t *)W, yi, 0);
        else gorch_vecmat_f16(K, N, xi, (const uint16_t *)W, yi, 0);
      }
    }
  }
  if (bias)
    for (int i = 0; i < M; i++) {
      float *yi = out + (size_t)i * N;
      int j = 0;
      for (; j + 4 <= N; j += 4) f4_store(yi + j, f4_load(yi + j) + f4_load(bias + j));
      for (; j < N; j++) yi[j] += bias[j];
    }
}
