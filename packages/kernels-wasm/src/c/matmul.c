/* General matrix multiply C[M,N] (+)= A[M,K] B[K,N] with arbitrary element strides on A and B,
 * so transposed and non-contiguous operands cost nothing extra: they are absorbed by packing.
 * Structure after Goto & van de Geijn, "Anatomy of High-Performance Matrix Multiplication" (2008):
 * B is packed into KC x NR column panels (one stays in L1), A into MR x KC row panels (a block
 * stays in L2), and a MR x NR register-blocked micro-kernel does the arithmetic.
 * Tile 4x8 (8 accumulators) measured fastest under V8 on x64: 6x8, 8x8, 4x12 and 3x16 ran at
 * 20-24 GFLOP/s against 35-37 for 4x8 because V8's register allocator spills their accumulators. */
#include "simd.h"
#include "gemm.h"
#include <stdlib.h>

#ifndef MR
#define MR 4
#endif
#ifndef MC
#define MC 72
#endif
#ifndef NC
#define NC 2048
#endif

_Static_assert(MC % MR == 0 && NC % NR == 0 && NR % 4 == 0, "packing pads to whole panels");

/* Packing buffers of the calling thread; worker threads pass their own (gorch_gemm_ws). */
static float pack_ws[MC * KC + KC * NC] __attribute__((aligned(16)));

/* Floats of workspace gorch_gemm_ws needs: an A block then a B panel. */
EXPORT int gorch_gemm_workspace_floats(void) { return MC * KC + KC * NC; }

static void pack_a(int mc, int kc, const float *A, int sm, int sk, float *dst) {
  for (int i = 0; i < mc; i += MR) {
    int mr = mc - i < MR ? mc - i : MR;
    for (int k = 0; k < kc; k++) {
      const float *src = A + (size_t)i * sm + (size_t)k * sk;
      int r = 0;
      for (; r < mr; r++) dst[r] = src[(size_t)r * sm];
      for (; r < MR; r++) dst[r] = 0.0f;
      dst += MR;
    }
  }
}

static void pack_b(int kc, int nc, const float *B, int sk, int sn, float *dst) {
  for (int j = 0; j < nc; j += NR) {
    int nr = nc - j < NR ? nc - j : NR;
    for (int k = 0; k < kc; k++) {
      const float *src = B + (size_t)k * sk + (size_t)j * sn;
      if (nr == NR && sn == 1) {
        for (int v = 0; v < NR; v += 4) f4_store(dst + v, f4_load(src + v));
      } else {
        int c = 0;
        for (; c < nr; c++) dst[c] = src[(size_t)c * sn];
        for (; c < NR; c++) dst[c] = 0.0f;
      }
      dst += NR;
    }
  }
}

/* MR x NR tile held in MR*NR/4 vector accumulators; the loops below are fully unrolled by the
 * compiler, so the accumulators live in registers. */
#define NV (NR / 4)
static void micro_kernel(int kc, const float *a, const float *b, float *C, int ldc, int accumulate) {
  f4 c[MR][NV];
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) c[r][v] = f4_splat(0.0f);
  /* Looping on an end pointer instead of a counter saves V8 an add per k step. */
  for (const float *bend = b + (size_t)kc * NR; b != bend; a += MR, b += NR) {
    f4 bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = *(const f4 *)(b + 4 * v);
    for (int r = 0; r < MR; r++) {
      f4 x = f4_bcast(a + r);
      for (int v = 0; v < NV; v++) c[r][v] += x * bv[v];
    }
  }
  for (int r = 0; r < MR; r++) {
    float *p = C + (size_t)r * ldc;
    for (int v = 0; v < NV; v++) {
      if (accumulate) c[r][v] += f4_load(p + 4 * v);
      f4_store(p + 4 * v, c[r][v]);
    }
  }
}

static void macro_kernel(int mc, int nc, int kc, const float *pa, const float *pb, float *C, int ldc,
                         int accumulate) {
  float tile[MR * NR] __attribute__((aligned(16)));
  for (int j = 0; j < nc; j += NR) {
    int nr = nc - j < NR ? nc - j : NR;
    for (int i = 0; i < mc; i += MR) {
      int mr = mc - i < MR ? mc - i : MR;
      const float *a = pa + (size_t)i * kc;
      const float *b = pb + (size_t)j * kc;
      float *c = C + (size_t)i * ldc + j;
      if (mr == MR && nr == NR) {
        micro_kernel(kc, a, b, c, ldc, accumulate);
      } else {
        micro_kernel(kc, a, b, tile, NR, 0);
        for (int r = 0; r < mr; r++)
          for (int q = 0; q < nr; q++)
            c[(size_t)r * ldc + q] = (accumulate ? c[(size_t)r * ldc + q] : 0.0f) + tile[r * NR + q];
      }
    }
  }
}

void gorch_vecmat_strided(int K, int N, const float *x, int sx, const float *B, int sk, int sn, float *y,
                          int accumulate);

/* Packs B columns [j0, j0+nc) over rows [k0, k0+kc) of a plain strided matrix. */
typedef struct { const float *B; int sk, sn; } strided_b;
static void pack_strided(const void *ctx, int k0, int kc, int j0, int nc, float *dst) {
  const strided_b *s = (const strided_b *)ctx;
  pack_b(kc, nc, s->B + (size_t)k0 * s->sk + (size_t)j0 * s->sn, s->sk, s->sn, dst);
}

/* The blocked product with B supplied by a packer (gemm.h), so weights stored half-width or in
 * panels (pack_weights.c) are packed straight from their storage instead of first being copied to
 * a row-major float32 matrix. Every C element is summed in the same order (K blocks of KC, then k
 * within a block) whatever N is, so a product split into column ranges at multiples of NR is
 * bit-identical to the whole product, and two packers that write the same panel give the same bits. */
void gorch_gemm_packed(int M, int N, int K, const float *A, int sam, int sak, gemm_pack_b_fn pack,
                       const void *ctx, float *C, int ldc, int accumulate, float *ws) {
  if (!ws) ws = pack_ws;
  float *pA = ws, *pB = ws + MC * KC;
  if (K == 0) {
    if (!accumulate)
      for (int i = 0; i < M; i++) memset(C + (size_t)i * ldc, 0, sizeof(float) * (size_t)N);
    return;
  }
  for (int jc = 0; jc < N; jc += NC) {
    int nc = N - jc < NC ? N - jc : NC;
    for (int pc = 0; pc < K; pc += KC) {
      int kc = K - pc < KC ? K - pc : KC;
      pack(ctx, pc, kc, jc, nc, pB);
      for (int ic = 0; ic < M; ic += MC) {
        int mc = M - ic < MC ? M - ic : MC;
        pack_a(mc, kc, A + (size_t)ic * sam + (size_t)pc * sak, sam, sak, pA);
        macro_kernel(mc, nc, kc, pA, pB, C + (size_t)ic * ldc + jc, ldc, accumulate || pc > 0);
      }
    }
  }
}

/* C[M,N] row-major with leading dimension ldc. accumulate != 0 adds into C. `ws` holds
 * gorch_gemm_workspace_floats() floats (16-byte aligned) for the packed blocks, so threads sharing
 * one memory each pass their own. Column splits at multiples of NR are bit-identical (above). */
EXPORT void gorch_gemm_ws(int M, int N, int K, const float *A, int sam, int sak, const float *B, int sbk,
                          int sbn, float *C, int ldc, int accumulate, float *ws) {
  if (M == 1) { /* decoding: one row is a matrix x vector product, no packing */
    gorch_vecmat_strided(K, N, A, sak, B, sbk, sbn, C, accumulate);
    return;
  }
  strided_b s = {B, sbk, sbn};
  gorch_gemm_packed(M, N, K, A, sam, sak, pack_strided, &s, C, ldc, accumulate, ws);
}

/* gorch_gemm_ws on the calling thread's static buffers. */
EXPORT void gorch_gemm(int M, int N, int K, const float *A, int sam, int sak, const float *B, int sbk,
                       int sbn, float *C, int ldc, int accumulate) {
  gorch_gemm_ws(M, N, K, A, sam, sak, B, sbk, sbn, C, ldc, accumulate, pack_ws);
}

/* Batched: C[b] = A[b] B[b]; a batch stride of 0 broadcasts that operand. C is contiguous. */
EXPORT void gorch_bmm(int batch, int M, int N, int K, const float *A, int sab, int sam, int sak,
                      const float *B, int sbb, int sbk, int sbn, float *C) {
  for (int b = 0; b < batch; b++)
    gorch_gemm(M, N, K, A + (size_t)b * sab, sam, sak, B + (size_t)b * sbb, sbk, sbn,
               C + (size_t)b * M * N, N, 0);
}
