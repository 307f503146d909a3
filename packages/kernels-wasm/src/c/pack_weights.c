/* The gemm (matmul.c) over weights as they are stored: float32 or half-width, [N, K] rows, [K, N]
 * rows, or 8-row panels (panels.c). The gemm packs B = W^T into KC x NR column panels anyway; an
 * NR = 8 column panel over a k block is exactly one 8-row panel group of W over a run of its
 * chunks, so those are widened and transposed straight into the packed buffer. The alternative,
 * widening or unpacking the whole matrix into an N*K float32 temporary on every call (154 MB for
 * GPT-2's lm_head), was also slower: the temporary is written, then read again by the packing.
 * Every packed value is the same float the old path produced (bfloat16 and float16 widen exactly,
 * with simd.h's loaders, as gorch_widen does), and zero padding is the same, so results are
 * bit-identical to widening first and then running the row-major gemm. */
#include "simd.h"
#include "gemm.h"

enum { FMT_F32 = 0, FMT_BF16 = 1, FMT_F16 = 2 };
enum { LAYOUT_KN = 0, LAYOUT_NK = 1, LAYOUT_PANELS = 2 };

_Static_assert(NR == 8 && KC % 8 == 0, "a column panel is one 8-row group; k blocks start on chunks");

typedef struct { const char *W; int fmt, layout, N, K, n0; } weights;

static inline size_t elem_bytes(int fmt) { return fmt == FMT_F32 ? 4 : 2; }
static inline int chunk_of(int fmt) { return fmt == FMT_BF16 ? 8 : 4; }

static inline f4 load4(int fmt, const char *p) {
  if (fmt == FMT_F32) return f4_load((const float *)p);
  if (fmt == FMT_BF16) return f4_load_bf16((const uint16_t *)p);
  return f4_load_f16((const uint16_t *)p);
}

/* One element through the same vector loader, so a lone value widens exactly like a full vector. */
static inline float load1(int fmt, const char *p) {
  if (fmt == FMT_F32) return *(const float *)p;
  uint16_t t[4] = {*(const uint16_t *)p, 0, 0, 0};
  f4 v = fmt == FMT_BF16 ? f4_load_bf16(t) : f4_load_f16(t);
  return v[0];
}

/* Element offset of W[n, k] (logical [N, K]) in its storage. */
static size_t offset(const weights *w, int n, int k) {
  int N = w->N, K = w->K;
  if (w->layout == LAYOUT_KN) return (size_t)k * N + n;
  if (w->layout == LAYOUT_NK || n >= (N & ~7)) return (size_t)n * K + k;
  int ch = chunk_of(w->fmt), kcut = K - K % ch, r = n & 7;
  size_t base = (size_t)(n - r) * K;
  if (k < kcut) return base + (size_t)(k / ch) * 8 * ch + (size_t)r * ch + (size_t)(k % ch);
  return base + (size_t)8 * kcut + (size_t)r * (K - kcut) + (size_t)(k - kcut);
}

/* 8 rows x 4 consecutive k (row r at p + r*rs bytes) -> dst[k][8]: two 4x4 transposes. */
static inline void tr8x4(int fmt, const char *p, size_t rs, float *dst) {
  for (int h = 0; h < 2; h++, p += 4 * rs) {
    f4 a = load4(fmt, p), b = load4(fmt, p + rs), c = load4(fmt, p + 2 * rs), d = load4(fmt, p + 3 * rs);
    f4 t0 = __builtin_shufflevector(a, b, 0, 4, 1, 5), t1 = __builtin_shufflevector(a, b, 2, 6, 3, 7);
    f4 t2 = __builtin_shufflevector(c, d, 0, 4, 1, 5), t3 = __builtin_shufflevector(c, d, 2, 6, 3, 7);
    f4_store(dst + 4 * h, __builtin_shufflevector(t0, t2, 0, 1, 4, 5));
    f4_store(dst + 8 + 4 * h, __builtin_shufflevector(t0, t2, 2, 3, 6, 7));
    f4_store(dst + 16 + 4 * h, __builtin_shufflevector(t1, t3, 0, 1, 4, 5));
    f4_store(dst + 24 + 4 * h, __builtin_shufflevector(t1, t3, 2, 3, 6, 7));
  }
}

/* Any nr <= 8 columns from n over [k0, k1), one element at a time (remainders only). */
static float *pack_slow(const weights *w, int n, int nr, int k0, int k1, float *dst) {
  size_t eb = elem_bytes(w->fmt);
  for (int k = k0; k < k1; k++, dst += NR) {
    int c = 0;
    for (; c < nr; c++) dst[c] = load1(w->fmt, w->W + offset(w, n + c, k) * eb);
    for (; c < NR; c++) dst[c] = 0.0f;
  }
  return dst;
}

/* Columns n..n+7 (a whole group of panels) over [k0, k1), k0 on a chunk boundary. */
static float *pack_group(const weights *w, int fmt, int n, int k0, int k1, float *dst) {
  int K = w->K, ch = chunk_of(fmt), kcut = K - K % ch;
  size_t eb = elem_bytes(fmt);
  const char *g = w->W + (size_t)n * K * eb;
  int k = k0, kend = k1 < kcut ? k1 : kcut;
  for (; k + ch <= kend; k += ch) {
    const char *c = g + (size_t)(k / ch) * 8 * ch * eb;
    for (int s = 0; s < ch; s += 4, dst += 4 * NR) tr8x4(fmt, c + s * eb, ch * eb, dst);
  }
  return pack_slow(w, n, NR, k, k1, dst);
}

/* Columns n..n+7 of row-major [N, K] over [k0, k1). */
static float *pack_rows_nk(const weights *w, int fmt, int n, int k0, int k1, float *dst) {
  size_t eb = elem_bytes(fmt), rs = (size_t)w->K * eb;
  int k = k0;
  for (; k + 4 <= k1; k += 4, dst += 4 * NR) tr8x4(fmt, w->W + ((size_t)n * w->K + k) * eb, rs, dst);
  return pack_slow(w, n, NR, k, k1, dst);
}

/* Columns n..n+7 of row-major [K, N] over [k0, k1): each k is 8 contiguous values. */
static float *pack_rows_kn(const weights *w, int fmt, int n, int k0, int k1, float *dst) {
  size_t eb = elem_bytes(fmt);
  for (int k = k0; k < k1; k++, dst += NR) {
    const char *p = w->W + ((size_t)k * w->N + n) * eb;
    f4_store(dst, load4(fmt, p));
    f4_store(dst + 4, load4(fmt, p + 4 * eb));
  }
  return dst;
}

static void pack_weights(const void *ctx, int k0, int kc, int j0, int nc, float *dst) {
  const weights *w = (const weights *)ctx;
  int n8 = w->N & ~7, fmt = w->fmt, k1 = k0 + kc;
  for (int j = 0; j < nc; j += NR) {
    int n = w->n0 + j0 + j, nr = nc - j < NR ? nc - j : NR;
    if (nr < NR) dst = pack_slow(w, n, nr, k0, k1, dst);
    else if (w->layout == LAYOUT_KN) dst = pack_rows_kn(w, fmt, n, k0, k1, dst);
    else if (w->layout == LAYOUT_NK) dst = pack_rows_nk(w, fmt, n, k0, k1, dst);
    else if (n + NR <= n8 && k0 % chunk_of(fmt) == 0) dst = pack_group(w, fmt, n, k0, k1, dst);
    else dst = pack_slow(w, n, nr, k0, k1, dst);
  }
}

/* out[:, n0..n1) (row stride N) = x[M, K] W[:, n0..n1) for W [N, K] of any format and layout (see
 * linear.c), through the gemm with B packed from W's storage. */
void gorch_linear_gemm(int M, int N, int K, int n0, int n1, const float *x, const void *W, int fmt,
                       int layout, float *out, float *ws) {
  weights w = {(const char *)W, fmt, layout, N, K, n0};
  gorch_gemm_packed(M, n1 - n0, K, x, K, 1, pack_weights, &w, out + n0, N, 0, ws);
}
