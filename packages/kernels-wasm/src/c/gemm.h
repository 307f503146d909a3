/* The gemm's packed-B interface (matmul.c), shared with the weight packers (pack_weights.c). */
#ifndef GORCH_GEMM_H
#define GORCH_GEMM_H
#ifndef NR
#define NR 8
#endif
#ifndef KC
#define KC 256
#endif

/* Writes B[k0 .. k0+kc, j0 .. j0+nc) as ceil(nc/NR) column panels: panel p holds, for each k in
 * order, the NR values B[k, j0 + NR*p + c] (c < NR), zero past column j0+nc. */
typedef void (*gemm_pack_b_fn)(const void *ctx, int k0, int kc, int j0, int nc, float *dst);

void gorch_gemm_packed(int M, int N, int K, const float *A, int sam, int sak, gemm_pack_b_fn pack,
                       const void *ctx, float *C, int ldc, int accumulate, float *ws);
#endif
