/* Strided gather of 4-byte elements (float32 or int32) into a contiguous output: transposes,
 * permutes and broadcasts are all "read with these strides". Innermost-axis fast paths for stride 1
 * (memcpy) and stride 0 (fill). */
#include "simd.h"

/* out (contiguous, `shape`) [i] = src[sum_d idx_d * strides[d]]. Returns -1 for rank outside 1..8. */
EXPORT int gorch_copy_strided(int ndim, const int *shape, const uint32_t *src, const int *strides, uint32_t *out) {
  if (ndim < 1 || ndim > 8) return -1;
  int n = shape[ndim - 1], s = strides[ndim - 1];
  size_t outer = 1;
  for (int d = 0; d < ndim - 1; d++) outer *= (size_t)shape[d];
  if (n == 0 || outer == 0) return 0;
  int idx[8] = {0};
  size_t off = 0;
  for (size_t r = 0; r < outer; r++, out += n) {
    const uint32_t *p = src + off;
    if (s == 1) memcpy(out, p, sizeof(uint32_t) * (size_t)n);
    else if (s == 0) for (int i = 0; i < n; i++) out[i] = p[0];
    else for (int i = 0; i < n; i++) out[i] = p[(size_t)i * s];
    for (int d = ndim - 2; d >= 0; d--) {
      idx[d]++;
      off += (size_t)strides[d];
      if (idx[d] < shape[d]) break;
      off -= (size_t)strides[d] * (size_t)shape[d];
      idx[d] = 0;
    }
  }
  return 0;
}
