/* conv2d as im2col + gemm (Chellapilla et al., "High Performance Convolutional Neural Networks for
 * Document Processing", 2006) and maxPool2d, both NCHW with torch's stride / padding / dilation /
 * groups semantics. */
#include "simd.h"
#include <math.h>

void gorch_gemm(int M, int N, int K, const float *A, int sam, int sak, const float *B, int sbk, int sbn,
                float *C, int ldc, int accumulate);

/* p: [N, C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, groups]; col: (C/groups)*kh*kw*OH*OW floats.
 * weight [O, C/groups, kh, kw], bias [O] or null, out [N, O, OH, OW]. */
EXPORT void gorch_conv2d(const int *p, const float *x, const float *w, const float *bias, float *out, float *col) {
  int N = p[0], C = p[1], H = p[2], W = p[3], O = p[4], kh = p[5], kw = p[6];
  int sh = p[7], sw = p[8], ph = p[9], pw = p[10], dh = p[11], dw = p[12], G = p[13];
  int OH = (H + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
  int OW = (W + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
  int Cg = C / G, Og = O / G, P = OH * OW, Kd = Cg * kh * kw;
  for (int n = 0; n < N; n++) {
    for (int g = 0; g < G; g++) {
      const float *xg = x + ((size_t)n * C + (size_t)g * Cg) * H * W;
      for (int c = 0; c < Cg; c++)
        for (int i = 0; i < kh; i++)
          for (int j = 0; j < kw; j++) {
            float *row = col + ((size_t)(c * kh + i) * kw + j) * P;
            for (int oy = 0; oy < OH; oy++) {
              int iy = oy * sh - ph + i * dh;
              float *dst = row + (size_t)oy * OW;
              if (iy < 0 || iy >= H) { memset(dst, 0, sizeof(float) * (size_t)OW); continue; }
              const float *src = xg + ((size_t)c * H + iy) * W;
              for (int ox = 0; ox < OW; ox++) {
                int ix = ox * sw - pw + j * dw;
                dst[ox] = (ix >= 0 && ix < W) ? src[ix] : 0.0f;
              }
            }
          }
      float *og = out + ((size_t)n * O + (size_t)g * Og) * P;
      if (bias)
        for (int o = 0; o < Og; o++)
          for (int q = 0; q < P; q++) og[(size_t)o * P + q] = bias[g * Og + o];
      gorch_gemm(Og, P, Kd, w + (size_t)g * Og * Kd, Kd, 1, col, P, 1, og, P, bias != 0);
    }
  }
}

/* p: [N, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw]; out [N, C, OH, OW]; padding counts as -Inf.
 * torch's rule (aten/src/ATen/native/cpu/MaxPoolKernel.cpp): `v > max || isnan(v)` takes over, so a
 * window's last NaN is its result, copied with its bits. */
EXPORT void gorch_max_pool2d(const int *p, const float *x, float *out) {
  int N = p[0], C = p[1], H = p[2], W = p[3], kh = p[4], kw = p[5];
  int sh = p[6], sw = p[7], ph = p[8], pw = p[9], dh = p[10], dw = p[11];
  int OH = (H + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
  int OW = (W + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
  for (size_t nc = 0; nc < (size_t)N * C; nc++) {
    const float *xp = x + nc * H * W;
    float *op = out + nc * OH * OW;
    for (int oy = 0; oy < OH; oy++)
      for (int ox = 0; ox < OW; ox++) {
        float m = -INFINITY;
        for (int i = 0; i < kh; i++) {
          int iy = oy * sh - ph + i * dh;
          if (iy < 0 || iy >= H) continue;
          for (int j = 0; j < kw; j++) {
            int ix = ox * sw - pw + j * dw;
            if (ix < 0 || ix >= W) continue;
            float v = xp[(size_t)iy * W + ix];
            if (v > m || v != v) m = v;
          }
        }
        op[(size_t)oy * OW + ox] = m;
      }
  }
}
