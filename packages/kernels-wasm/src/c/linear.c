/* y[M,N] = x[M,K] W (+ bias) where W is float32, bfloat16 or float16, stored as [N,K] (nn.Linear,
 * layout 1), [K,N] (GPT-2 Conv1D / plain matmul, layout 0) or [N,K] in 8-row panels (layout 2,
 * panels.c).
 * Few rows (decoding) stream the weights through the matrix x vector kernels, widening half-width
 * weights in registers; many rows run the packed gemm, which packs half-width and panel weights
 * straight from their storage (pack_weights.c): no float32 copy of the matrix. */
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
void gorch_linear_gemm(int M, int N, int K, int n0, int n1, const float *x, const void *W, int fmt,
                       int layout, float *out, float *ws);

/* Rows up to which half-width or panel weights go through matvec instead of the gemm. */
#define HALF_MATVEC_ROWS 8

/* dst = src widened to float32 with torch's bits: bfloat16 << 16; float16 as .float() converts it,
 * a signalling NaN made quiet. */
EXPORT void gorch_widen(int fmt, int n, const uint16_t *src, float *dst) {
  int i = 0;
  if (fmt == FMT_BF16) {
    for (; i + 4 <= n; i += 4) f4_store(dst + i, f4_load_bf16(src + i));
  } else {
    for (; i + 4 <= n; i += 4) f4_store(dst + i, f4_quiet_nan(f4_load_f16(src + i)));
  }
  if (i < n) {
    uint16_t t[4] = {0, 0, 0, 0};
    for (int j = 0; i + j < n; j++) t[j] = src[i + j];
    f4 v = fmt == FMT_BF16 ? f4_load_bf16(t) : f4_quiet_nan(f4_load_f16(t));
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

/* Output columns [n0, n1) of y = x W (+ bias): the unit of work one thread takes. `ws` is gemm packing workspace
 * (gorch_gemm_workspace_floats() floats; 0 = the calling thread's static one). Each output is
 * computed the same way whatever [n0, n1) is, provided n0 and n1 are multiples of 8 (or N), so any
 * column split gives bit-identical results. */
EXPORT void gorch_linear_cols(int M, int N, int K, int n0, int n1, const float *x, const void *W, int fmt,
                              int layout, const float *bias, float *out, float *ws) {
  int nc = n1 - n0;
  if (nc <= 0) return;
  size_t off = layout == LAYOUT_NK ? (size_t)n0 * K : (size_t)n0;
  /* Float32 rows take the gemm from 2 rows on, half-width and panel weights above HALF_MATVEC_ROWS
   * (below it the matrix x vector kernels stream them at their storage width). The gemm packs B
   * straight from W's storage (pack_weights.c), except float32 [K, N], whose rows already are B's.
   * For float32 [N, K] its 8x4 transposes write the same panel as the gemm's strided element loop
   * (same bits) in less time: 1.2-1.35x for the whole product at 2-4 rows on GPT-2 shapes, within
   * noise at 128. */
  int f32rows = fmt == FMT_F32 && layout != LAYOUT_PANELS;
  int gemm = M > (f32rows ? 1 : HALF_MATVEC_ROWS);
  if (gemm && f32rows && layout == LAYOUT_KN) {
    gorch_gemm_ws(M, nc, K, x, K, 1, (const float *)W + off, N, 1, out + n0, N, 0, ws);
  } else if (gemm) {
    gorch_linear_gemm(M, N, K, n0, n1, x, W, fmt, layout, out, ws);
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
                         const float *bias, float *out) {
  gorch_linear_cols(M, N, K, 0, N, x, W, fmt, layout, bias, out, 0);
}
