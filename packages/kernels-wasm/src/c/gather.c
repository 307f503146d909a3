/* Embedding lookup: out[i, :] = table[idx[i], :]. Returns the position of the first index outside
 * [0, V) before writing anything, or -1. */
#include "simd.h"

EXPORT int gorch_embedding(int n, const int32_t *idx, int V, int D, const float *table, float *out) {
  for (int i = 0; i < n; i++)
    if (idx[i] < 0 || idx[i] >= V) return i;
  for (int i = 0; i < n; i++) memcpy(out + (size_t)i * D, table + (size_t)idx[i] * D, sizeof(float) * (size_t)D);
  return -1;
}

void gorch_widen(int fmt, int n, const uint16_t *src, float *dst);

/* The same lookup from a bfloat16 / float16 table (fmt 1 / 2): only the selected rows are widened. */
EXPORT int gorch_embedding_half(int n, const int32_t *idx, int V, int D, int fmt, const uint16_t *table, float *out) {
  for (int i = 0; i < n; i++)
    if (idx[i] < 0 || idx[i] >= V) return i;
  for (int i = 0; i < n; i++) gorch_widen(fmt, D, table + (size_t)idx[i] * D, out + (size_t)i * D);
  return -1;
}

/* The lookup from a table stored transposed, [D, V] (a tied wte kept in the lm_head decode layout):
 * out[i, d] = table[d, idx[i]], widened from fmt 0 float32 / 1 bfloat16 / 2 float16. */
EXPORT int gorch_embedding_cols(int n, const int32_t *idx, int V, int D, int fmt, const void *table, float *out) {
  for (int i = 0; i < n; i++)
    if (idx[i] < 0 || idx[i] >= V) return i;
  for (int i = 0; i < n; i++)
    for (int d = 0; d < D; d++) {
      size_t at = (size_t)d * V + idx[i];
      if (fmt == 0) out[(size_t)i * D + d] = ((const float *)table)[at];
      else gorch_widen(fmt, 1, (const uint16_t *)table + at, out + (size_t)i * D + d);
    }
  return -1;
}
