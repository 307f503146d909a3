/* Matrix x vector products for decoding, where every weight is read once per token and memory
 * bandwidth is the limit. Two layouts, each reading its weight rows front to back:
 *   dot form   y[n] = sum_k W[n,k] x[k]   (W is [N,K], the nn.Linear layout; 8 rows at a time)
 *   axpy form  y[n] = sum_k x[k] W[k,n]   (W is [K,N], GPT-2 Conv1D layout; 4 rows per pass over y)
 * Weights may be float32, bfloat16 or float16; half-width weights are widened in registers, which
 * halves the bytes streamed from memory. Accumulation is always float32. */
#include "simd.h"

#ifndef VECMAT_NB
#define VECMAT_NB 16384
#endif

#define LOAD_f32(p) f4_load(p)
#define LOAD_bf16(p) f4_load_bf16(p)
#define LOAD_f16(p) f4_load_f16(p)
static inline float one_f32(const float *p) { return *p; }
static inline float one_bf16(const uint16_t *p) { f4 v = f4_load_bf16((const uint16_t[4]){*p, 0, 0, 0}); return v[0]; }
static inline float one_f16(const uint16_t *p) { f4 v = f4_load_f16((const uint16_t[4]){*p, 0, 0, 0}); return v[0]; }

#define DEFINE_MATVEC(T, W_T)                                                                      \
  EXPORT void gorch_matvec_##T(int N, int K, const W_T *W, const float *x, float *y) {             \
    int n = 0;                                                                                     \
    /* 8 rows x 1 vector per step: measured faster than 4x2, 4x4, 2x4 and 1x4 tilings under V8 */ \
    for (; n + 8 <= N; n += 8) {                                                                   \
      const W_T *w = W + (size_t)n * K;                                                            \
      f4 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0};           \
      int k = 0;                                                                                   \
      for (; k + 4 <= K; k += 4) {                                                                 \
        f4 xv = f4_load(x + k);                                                                    \
        a0 += LOAD_##T(w + k) * xv;                                                                \
        a1 += LOAD_##T(w + (size_t)K + k) * xv;                                                    \
        a2 += LOAD_##T(w + (size_t)2 * K + k) * xv;                                                \
        a3 += LOAD_##T(w + (size_t)3 * K + k) * xv;                                                \
        a4 += LOAD_##T(w + (size_t)4 * K + k) * xv;                                                \
        a5 += LOAD_##T(w + (size_t)5 * K + k) * xv;                                                \
        a6 += LOAD_##T(w + (size_t)6 * K + k) * xv;                                                \
        a7 += LOAD_##T(w + (size_t)7 * K + k) * xv;                                                \
      }                                                                                            \
      float s[8] = {f4_hsum(a0), f4_hsum(a1), f4_hsum(a2), f4_hsum(a3),                            \
                    f4_hsum(a4), f4_hsum(a5), f4_hsum(a6), f4_hsum(a7)};                           \
      for (; k < K; k++)                                                                           \
        for (int r = 0; r < 8; r++) s[r] += one_##T(w + (size_t)r * K + k) * x[k];                 \
      for (int r = 0; r < 8; r++) y[n + r] = s[r];                                                 \
    }                                                                                              \
    for (; n < N; n++) {                                                                           \
      const W_T *w = W + (size_t)n * K;                                                            \
      f4 a = {0};                                                                                  \
      int k = 0;                                                                                   \
      for (; k + 4 <= K; k += 4) a += LOAD_##T(w + k) * f4_load(x + k);                            \
      float s = f4_hsum(a);                                                                        \
      for (; k < K; k++) s += one_##T(w + k) * x[k];                                               \
      y[n] = s;                                                                                    \
    }                                                                                              \
  }

#define DEFINE_VECMAT(T, W_T)                                                                      \
  /* Columns [0, N) of a [K, ld] matrix: each column's sum has the same order whatever N is, so    \
   * splitting the columns between threads (at multiples of 4) leaves results bit-identical. */    \
  EXPORT void gorch_vecmat_ld_##T(int K, int N, int ld, const float *x, const W_T *W, float *y, int accumulate) { \
    enum { NB = VECMAT_NB };                                                                          \
    for (int j0 = 0; j0 < N; j0 += NB) {                                                           \
      int nb = N - j0 < NB ? N - j0 : NB;                                                          \
      float *yb = y + j0;                                                                          \
      if (!accumulate) memset(yb, 0, sizeof(float) * (size_t)nb);                                  \
      int k = 0;                                                                                   \
      for (; k + 4 <= K; k += 4) {                                                                 \
        const W_T *w0 = W + (size_t)k * ld + j0, *w1 = w0 + ld, *w2 = w1 + ld, *w3 = w2 + ld;      \
        f4 x0 = f4_splat(x[k]), x1 = f4_splat(x[k + 1]), x2 = f4_splat(x[k + 2]), x3 = f4_splat(x[k + 3]); \
        int j = 0;                                                                                 \
        for (; j + 4 <= nb; j += 4)                                                                \
          f4_store(yb + j, f4_load(yb + j) + ((LOAD_##T(w0 + j) * x0 + LOAD_##T(w1 + j) * x1) +    \
                                              (LOAD_##T(w2 + j) * x2 + LOAD_##T(w3 + j) * x3)));   \
        for (; j < nb; j++)                                                                        \
          yb[j] += (one_##T(w0 + j) * x[k] + one_##T(w1 + j) * x[k + 1]) +                         \
                   (one_##T(w2 + j) * x[k + 2] + one_##T(w3 + j) * x[k + 3]);                      \
      }                                                                                            \
      for (; k < K; k++) {                                                                         \
        const W_T *w = W + (size_t)k * ld + j0;                                                    \
        f4 xv = f4_splat(x[k]);                                                                    \
        int j = 0;                                                                                 \
        for (; j + 4 <= nb; j += 4) f4_store(yb + j, f4_load(yb + j) + LOAD_##T(w + j) * xv);       \
        for (; j < nb; j++) yb[j] += one_##T(w + j) * x[k];                                        \
      }                                                                                            \
    }                                                                                              \
  }                                                                                                \
  EXPORT void gorch_vecmat_##T(int K, int N, const float *x, const W_T *W, float *y, int accumulate) { \
    gorch_vecmat_ld_##T(K, N, N, x, W, y, accumulate);                                             \
  }

DEFINE_MATVEC(f32, float)
DEFINE_MATVEC(f16, uint16_t)
DEFINE_VECMAT(f32, float)
DEFINE_VECMAT(bf16, uint16_t)
DEFINE_VECMAT(f16, uint16_t)

/* bfloat16 dot form, 8 weights per 16-byte load: a shift gives the even-indexed weights as float32
 * and a mask the odd-indexed ones, so they multiply x split into even and odd lanes (one shuffle per
 * 8 k, shared by 8 rows). Half the loads and no widening instructions against the generic
 * 4-at-a-time form, which made bf16 compute-bound (measured: as slow per token as float32). Every
 * row takes the same operation order in the 8-row block and in the remainder loop, so any split of
 * rows between threads gives the same bits. */
typedef uint32_t u4u __attribute__((vector_size(16), aligned(2)));
#define BF16_STEP(acc, p, xe, xo)                                                                  \
  do {                                                                                             \
    u4 v_ = *(const u4u *)(p);                                                                     \
    acc += (f4)(v_ << 16) * (xe);                                                                  \
    acc += (f4)(v_ & 0xffff0000u) * (xo);                                                          \
  } while (0)
EXPORT void gorch_matvec_bf16(int N, int K, const uint16_t *W, const float *x, float *y) {
  int n = 0;
  for (; n + 8 <= N; n += 8) {
    const uint16_t *w = W + (size_t)n * K;
    f4 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, a4 = {0}, a5 = {0}, a6 = {0}, a7 = {0};
    int k = 0;
    for (; k + 8 <= K; k += 8) {
      f4 x0 = f4_load(x + k), x1 = f4_load(x + k + 4);
      f4 xe = __builtin_shufflevector(x0, x1, 0, 2, 4, 6), xo = __builtin_shufflevector(x0, x1, 1, 3, 5, 7);
      BF16_STEP(a0, w + k, xe, xo);
      BF16_STEP(a1, w + (size_t)K + k, xe, xo);
      BF16_STEP(a2, w + (size_t)2 * K + k, xe, xo);
      BF16_STEP(a3, w + (size_t)3 * K + k, xe, xo);
      BF16_STEP(a4, w + (size_t)4 * K + k, xe, xo);
      BF16_STEP(a5, w + (size_t)5 * K + k, xe, xo);
      BF16_STEP(a6, w + (size_t)6 * K + k, xe, xo);
      BF16_STEP(a7, w + (size_t)7 * K + k, xe, xo);
    }
    float s[8] = {f4_hsum(a0), f4_hsum(a1), f4_hsum(a2), f4_hsum(a3),
                  f4_hsum(a4), f4_hsum(a5), f4_hsum(a6), f4_hsum(a7)};
    for (; k < K; k++)
      for (int r = 0; r < 8; r++) s[r] += one_bf16(w + (size_t)r * K + k) * x[k];
    for (int r = 0; r < 8; r++) y[n + r] = s[r];
  }
  for (; n < N; n++) {
    const uint16_t *w = W + (size_t)n * K;
    f4 a = {0};
    int k = 0;
    for (; k + 8 <= K; k += 8) {
      f4 x0 = f4_load(x + k), x1 = f4_load(x + k + 4);
      f4 xe = __builtin_shufflevector(x0, x1, 0, 2, 4, 6), xo = __builtin_shufflevector(x0, x1, 1, 3, 5, 7);
      BF16_STEP(a, w + k, xe, xo);
    }
    float s = f4_hsum(a);
    for (; k < K; k++) s += one_bf16(w + k) * x[k];
    y[n] = s;
  }
}

/* x[K] (element stride sx) times B[K,N] with element strides (sk, sn): picks the layout whose
 * rows are contiguous, else a plain strided loop. */
EXPORT void gorch_vecmat_strided(int K, int N, const float *x, int sx, const float *B, int sk, int sn,
                                 float *y, int accumulate) {
  if (sx == 1 && sn == 1 && sk == N) {
    gorch_vecmat_f32(K, N, x, B, y, accumulate);
    return;
  }
  if (sx == 1 && sk == 1 && sn == K && !accumulate) {
    gorch_matvec_f32(N, K, B, x, y);
    return;
  }
  for (int n = 0; n < N; n++) {
    float s = 0.0f;
    for (int k = 0; k < K; k++) s += x[(size_t)k * sx] * B[(size_t)k * sk + (size_t)n * sn];
    y[n] = accumulate ? y[n] + s : s;
  }
}
