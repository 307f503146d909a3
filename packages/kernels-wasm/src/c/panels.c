/* Weight panels: the decoding layout of an [N, K] weight (nn.Linear [out, in], or a tied wte used
 * as lm_head). Rows are grouped 8 at a time; within a group the weights are interleaved in chunks of
 * CH consecutive k (CH = 8 for bfloat16 and 4 for float32: one 16-byte load; 4 for float16),
 * so the 1-row product reads the whole matrix as one forward stream instead of 8 row streams.
 * Streaming GPT-2-small's weights from DRAM (bench/kernels/gpt2_decode.ts) this read 1.2-1.6x faster
 * than the same kernel on row-major storage: the hardware prefetcher follows one stream well and 8
 * interleaved ones poorly. The same idea as the prepacked weights of XNNPACK and onnxruntime.
 *
 * Layout of N x K elements (no padding, so the storage has exactly N*K elements):
 *   group g (rows 8g..8g+7, for g < N/8) starts at element 8*g*K and holds
 *     K/CH chunks, each [row 0: CH values][row 1: CH values]...[row 7: CH values], then
 *     the K%CH tail values of row 0, then of row 1, ... of row 7;
 *   the last N%8 rows follow row-major (row n at element n*K, as in [N, K]).
 * Each output is summed in exactly the order of the row-major dot-form kernels (matvec.c), so
 * panels and rows give bit-identical results, and so does any split of the rows between threads at
 * multiples of 8. The gemm (Linear with more than 8 rows) packs straight from this layout too: an
 * 8-row group over a run of chunks is one of its column panels (pack_weights.c). */
#include "simd.h"

enum { FMT_F32 = 0, FMT_BF16 = 1, FMT_F16 = 2 };

void gorch_widen(int fmt, int n, const uint16_t *src, float *dst);
EXPORT void gorch_narrow_bf16(int n, const float *src, uint16_t *dst);
EXPORT void gorch_narrow_f16(int n, const float *src, uint16_t *dst);
void gorch_matvec_f32(int N, int K, const float *W, const float *x, float *y);
void gorch_matvec_bf16(int N, int K, const uint16_t *W, const float *x, float *y);
void gorch_matvec_f16(int N, int K, const uint16_t *W, const float *x, float *y);

static inline int chunk_of(int fmt) { return fmt == FMT_BF16 ? 8 : 4; }
static inline size_t elem_bytes(int fmt) { return fmt == FMT_F32 ? 4 : 2; }

/* Element offset of W[n, k] in the panel layout. */
static size_t panel_index(int fmt, int N, int K, int n, int k) {
  int n8 = N & ~7;
  if (n >= n8) return (size_t)n * K + k;
  int ch = chunk_of(fmt), kc = K - K % ch, r = n & 7;
  size_t base = (size_t)(n - r) * K;
  if (k < kc) return base + (size_t)(k / ch) * 8 * ch + (size_t)r * ch + (size_t)(k % ch);
  return base + (size_t)8 * kc + (size_t)r * (K - kc) + (size_t)(k - kc);
}

/* Row n of panel storage, widened to float32: out[k] = W[n, k]. */
static void panel_row(int fmt, int N, int K, const void *P, int n, float *out) {
  const char *bytes = (const char *)P;
  size_t eb = elem_bytes(fmt);
  int n8 = N & ~7;
  int step = n >= n8 ? K : chunk_of(fmt);
  for (int k = 0; k < K;) {
    /* runs of consecutive k are contiguous: a chunk in a group, the tail, or a whole row-major row */
    int run = n >= n8 ? K : (k < K - K % step ? step - k % step : K - k);
    const void *src = bytes + panel_index(fmt, N, K, n, k) * eb;
    if (fmt == FMT_F32) memcpy(out + k, src, sizeof(float) * (size_t)run);
    else gorch_widen(fmt, run, (const uint16_t *)src, out + k);
    k += run;
  }
}

/* Packs row-major float32 src [N, K] into panels of fmt (narrowing with round to nearest even). */
EXPORT void gorch_panel_pack(int fmt, int N, int K, const float *src, void *dst) {
  char *bytes = (char *)dst;
  size_t eb = elem_bytes(fmt);
  int n8 = N & ~7, ch = chunk_of(fmt);
  for (int n = 0; n < N; n++) {
    const float *row = src + (size_t)n * K;
    for (int k = 0; k < K;) {
      int run = n >= n8 ? K : (k < K - K % ch ? ch - k % ch : K - k);
      void *to = bytes + panel_index(fmt, N, K, n, k) * eb;
      if (fmt == FMT_F32) memcpy(to, row + k, sizeof(float) * (size_t)run);
      else if (fmt == FMT_BF16) gorch_narrow_bf16(run, row + k, (uint16_t *)to);
      else gorch_narrow_f16(run, row + k, (uint16_t *)to);
      k += run;
    }
  }
}

/* Row-major float32 copy of panel storage: out [N, K]. */
EXPORT void gorch_panel_unpack(int fmt, int N, int K, const void *P, float *out) {
  for (int n = 0; n < N; n++) panel_row(fmt, N, K, P, n, out + (size_t)n * K);
}

/* Embedding lookup from a [V, D] table in panels: out[i, :] = table[idx[i], :]. Returns the
 * position of the first index outside [0, V) before writing anything, or -1. */
EXPORT int gorch_embedding_panels(int n, const int32_t *idx, int V, int D, int fmt, const void *table, float *out) {
  for (int i = 0; i < n; i++)
    if (idx[i] < 0 || idx[i] >= V) return i;
  for (int i = 0; i < n; i++) panel_row(fmt, V, D, table, idx[i], out + (size_t)i * D);
  return -1;
}

typedef uint32_t u4u __attribute__((vector_size(16), aligned(2)));

/* One group of 8 rows: y[0..8) = W[8 rows] x. Same operation order as matvec.c's 8-row blocks. */
#define PANEL_TAIL(T, W_T, P, CH)                                                                  \
  do {                                                                                             \
    int kc_ = K - K % (CH), kt_ = K - kc_;                                                         \
    const W_T *t_ = (P) + (size_t)8 * kc_;                                                         \
    for (int k = kc_; k < K; k++)                                                                  \
      for (int r = 0; r < 8; r++) s[r] += one_##T(t_ + (size_t)r * kt_ + (k - kc_)) * x[k];        \
  } while (0)

static inline float one_f32(const float *p) { return *p; }
static inline float one_bf16(const uint16_t *p) { f4 v = f4_load_bf16((const uint16_t[4]){*p, 0, 0, 0}); return v[0]; }
static inline float one_f16(const uint16_t *p) { f4 v = f4_load_f16((const uint16_t[4]){*p, 0, 0, 0}); return v[0]; }

#define HSUM8(y)                                                                                   \
  float s[8] = {f4_hsum(a0), f4_hsum(a1), f4_hsum(a2), f4_hsum(a3),                                \
                f4_hsum(a4), f4_hsum(a5), f4_hsum(a6), f4_hsum(a7)}

/* float32 and float16 groups: 4 weights per 16-byte chunk, one loader call each (LOAD widens). */
#define GROUP_4WIDE(T, W_T, LOAD)                                                                  \
  static void group_##T(int K, const W_T *P, const float *x, float *y) {                           \
    f4 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0};             \
    const W_T *p = P;                                                                              \
    for (int k = 0; k + 4 <= K; k += 4, p += 32) {                                                 \
      f4 xv = f4_load(x + k);                                                                      \
      a0 += LOAD(p) * xv;      a1 += LOAD(p + 4) * xv;                                             \
      a2 += LOAD(p + 8) * xv;  a3 += LOAD(p + 12) * xv;                                            \
      a4 += LOAD(p + 16) * xv; a5 += LOAD(p + 20) * xv;                                            \
      a6 += LOAD(p + 24) * xv; a7 += LOAD(p + 28) * xv;                                            \
    }                                                                                              \
    HSUM8(y);                                                                                      \
    PANEL_TAIL(T, W_T, P, 4);                                                                      \
    for (int r = 0; r < 8; r++) y[r] = s[r];                                                       \
  }
GROUP_4WIDE(f32, float, f4_load)
GROUP_4WIDE(f16, uint16_t, f4_load_f16)

/* bfloat16: 8 weights per 16-byte load, even k by a shift and odd k by a mask (see matvec.c). */
#define BF16_STEP(acc, p)                                                                          \
  do {                                                                                             \
    u4 v_ = *(const u4u *)(p);                                                                     \
    acc += (f4)(v_ << 16) * xe;                                                                    \
    acc += (f4)(v_ & 0xffff0000u) * xo;                                                            \
  } while (0)
static void group_bf16(int K, const uint16_t *P, const float *x, float *y) {
  f4 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0};
  const uint16_t *p = P;
  for (int k = 0; k + 8 <= K; k += 8, p += 64) {
    f4 x0 = f4_load(x + k), x1 = f4_load(x + k + 4);
    f4 xe = __builtin_shufflevector(x0, x1, 0, 2, 4, 6), xo = __builtin_shufflevector(x0, x1, 1, 3, 5, 7);
    BF16_STEP(a0, p);      BF16_STEP(a1, p + 8);  BF16_STEP(a2, p + 16); BF16_STEP(a3, p + 24);
    BF16_STEP(a4, p + 32); BF16_STEP(a5, p + 40); BF16_STEP(a6, p + 48); BF16_STEP(a7, p + 56);
  }
  HSUM8(y);
  PANEL_TAIL(bf16, uint16_t, P, 8);
  for (int r = 0; r < 8; r++) y[r] = s[r];
}

/* y[n0..n1) = W[n0..n1, :] x for W [N, K] in panels of fmt. n0 and n1 are multiples of 8, or N. */
EXPORT void gorch_panel_matvec(int fmt, int N, int K, int n0, int n1, const void *P, const float *x, float *y) {
  int n8 = N & ~7;
  int g1 = n1 < n8 ? n1 : n8;
  size_t eb = elem_bytes(fmt);
  for (int n = n0; n < g1; n += 8) {
    const void *g = (const char *)P + (size_t)n * K * eb;
    if (fmt == FMT_F32) group_f32(K, (const float *)g, x, y + n);
    else if (fmt == FMT_BF16) group_bf16(K, (const uint16_t *)g, x, y + n);
    else group_f16(K, (const uint16_t *)g, x, y + n);
  }
  int r0 = n0 > n8 ? n0 : n8;
  if (n1 > r0) { /* the row-major remainder: matvec.c's single-row loop */
    const void *w = (const char *)P + (size_t)r0 * K * eb;
    if (fmt == FMT_F32) gorch_matvec_f32(n1 - r0, K, (const float *)w, x, y + r0);
    else if (fmt == FMT_BF16) gorch_matvec_bf16(n1 - r0, K, (const uint16_t *)w, x, y + r0);
    else gorch_matvec_f16(n1 - r0, K, (const uint16_t *)w, x, y + r0);
  }
}
