/* y[M,N] = x[M,K] W (+ bias) where W is float32, bfloat16 or float16, stored as [N,K] (nn.Linear,
 * layout 1), [K,N] (GPT-2 Conv1D / plain matmul, layout 0) or [N,K] in 8-row panels (layout 2,
 * panels.c).
 * Few rows (decoding) stream the weights through the matrix x vector kernels, widening half-width
 * weights in registers; many rows widen half-width weights once into `scratch` (N*K floats, only
 * needed then) and run the packed gemm. */
#include "simd.h"

enum { FMT_F32 = 0, FMT_BF16 = 1, FMT_F16 = 2 };
enum { LAYOUT_KN = 0, LAYOUT_NK = 1, LAYOUT_PANELS = 2 };

void gorch_gemm_ws(int M, int N, int K, const float *A, int sam, int sak, const float *B, int sbk, int sbn,
                   float *C, int ldc, int accumulate, float *ws);
void gorch_matvec_f32(int N, int K, const float *W, const float *x, float *y);
void gorch_matvec_bf16(int N, int K, const uint16_t *W, const float *x, float *y);
void gorch_matvec_f16(int N, int K, const uint16_t *W, const float *x, float *y);
void gorch_vecmat_ld_f32(int K, int N, int ld, const float *x, const float *W, float *y, int accumulate);
void gorch_vecmat_ld_bf16(int K, int N, int ld, const float *x, const uint16_t *W, float *y, int accumulate);
void gorch_vecmat_ld_f16(int K, int N, int ld, const float *x, const uint16_t *W, float *y, int accumulate);
void gorch_panel_matvec(int fmt, int N, int K, int n0, int n1, const void *P, const float *x, float *y);
void gorch_panel_unpack(int fmt, int N, int K, const void *P, float *out);

/* Rows up to which half-width or panel weights go through matvec instead of widen + gemm. */
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

/* Output columns [n0, n1) of y = x W (+ bias): the unit of work one thread takes. Half-width or
 * panel weights with more than HALF_MATVEC_ROWS rows must already be widened to row-major float32
 * (the caller passes that copy, FMT_F32 and its layout). `ws` is gemm packing workspace
 * (gorch_gemm_workspace_floats() floats; 0 = the calling thread's static one). Each output is
 * computed the same way whatever [n0, n1) is, provided n0 and n1 are multiples of 8 (or N), so any
 * column split gives bit-identical results. */
EXPORT void gorch_linear_cols(int M, int N, int K, int n0, int n1, const float *x, const void *W, int fmt,
                              int layout, const float *bias, float *out, float *ws) {
  int nc = n1 - n0;
  if (nc <= 0) return;
  size_t off = layout == LAYOUT_NK ? (size_t)n0 * K : (size_t)n0;
  if (fmt == FMT_F32 && M > 1 && layout != LAYOUT_PANELS) {
    const float *Wf = (const float *)W + off;
    if (layout == LAYOUT_NK) gorch_gemm_ws(M, nc, K, x, K, 1, Wf, 1, K, out + n0, N, 0, ws);
    else gorch_gemm_ws(M, nc, K, x, K, 1, Wf, N, 1, out + n0, N, 0, ws);
  } else {
    for (int i = 0; i < M; i++) {
      const float *xi = x + (size_t)i * K;
      float *yi = out + (size_t)i * N + n0;
      if (layout == LAYOUT_PANELS) {
        gorch_panel_matvec(fmt, N, K, n0, n1, W, xi, out + (size_t)i * N);
      } else if (layout == LAYOUT_NK) {
        if (fmt == FMT_F32) gorch_matvec_f32(nc, K, (const float *)W + off, xi, yi);
        else if (fmt == FMT_BF16) gorch_matvec_bf16(nc, K, (const uint16_t *)W + off, xi, yi);
        else gorch_matvec_f16(nc, K, (const uint16_t *)W + off, xi, yi);
      } else {
        if (fmt == FMT_F32) gorch_vecmat_ld_f32(K, nc, N, xi, (const float *)W + off, yi, 0);
        else if (fmt == FMT_BF16) gorch_vecmat_ld_bf16(K, nc, N, xi, (const uint16_t *)W + off, yi, 0);
        else gorch_vecmat_ld_f16(K, nc, N, xi, (const uint16_t *)W + off, yi, 0);
      }
    }
  }
  if (bias)
    for (int i = 0; i < M; i++) {
      float *yi = out + (size_t)i * N;
      int j = n0;
      for (; j + 4 <= n1; j += 4) f4_store(yi + j, f4_load(yi + j) + f4_load(bias + j));
      for (; j < n1; j++) yi[j] += bias[j];
    }
}

EXPORT void gorch_linear(int M, int N, int K, const float *x, const void *W, int fmt, int layout,
                         const float *bias, float *out, float *scratch) {
  if (M > HALF_MATVEC_ROWS && layout == LAYOUT_PANELS) {
    gorch_panel_unpack(fmt, N, K, W, scratch);
    W = scratch;
    fmt = FMT_F32;
    layout = LAYOUT_NK;
  } else if (fmt != FMT_F32 && M > HALF_MATVEC_ROWS) {
    gorch_widen(fmt, N * K, (const uint16_t *)W, scratch);
    W = scratch;
    fmt = FMT_F32;
  }
  gorch_linear_cols(M, N, K, 0, N, x, W, fmt, layout, bias, out, 0);
}
