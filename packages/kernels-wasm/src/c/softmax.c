/* Row-wise softmax / logSoftmax / layerNorm over the last axis of a [rows, n] contiguous block.
 * Softmax subtracts the row max first (so exp never overflows); layerNorm uses the two-pass
 * mean/variance (biased variance, as torch.nn.LayerNorm). */
#include "vmath.h"
#include <math.h>

static float row_max(int n, const float *x) {
  f4 m = f4_splat(-INFINITY);
  int i = 0;
  for (; i + 4 <= n; i += 4) m = f4_max(m, f4_load(x + i));
  float r = m[0] > m[1] ? m[0] : m[1];
  float r2 = m[2] > m[3] ? m[2] : m[3];
  r = r > r2 ? r : r2;
  for (; i < n; i++) r = x[i] > r ? x[i] : r;
  return r;
}

/* out = exp(x - shift), returns the sum of out. */
static float exp_shift_sum(int n, const float *x, float shift, float *out) {
  f4 s = {0}, sh = f4_splat(shift);
  int i = 0;
  for (; i + 4 <= n; i += 4) { f4 e = f4_exp(f4_load(x + i) - sh); f4_store(out + i, e); s += e; }
  float tail = 0.0f;
  if (i < n) {
    float t[4] = {0, 0, 0, 0};
    for (int j = 0; i + j < n; j++) t[j] = x[i + j] - shift;
    f4 e = f4_exp(f4_load(t));
    for (int j = 0; i + j < n; j++) { out[i + j] = e[j]; tail += e[j]; }
  }
  return f4_hsum(s) + tail;
}

EXPORT void gorch_softmax(int rows, int n, const float *x, float *out) {
  for (int r = 0; r < rows; r++, x += n, out += n) {
    float m = row_max(n, x);
    if (m == INFINITY || m != m) { /* torch gives NaN for a row holding +Inf or NaN */
      for (int i = 0; i < n; i++) out[i] = NAN;
      continue;
    }
    float inv = 1.0f / exp_shift_sum(n, x, m, out);
    f4 iv = f4_splat(inv);
    int i = 0;
    for (; i + 4 <= n; i += 4) f4_store(out + i, f4_load(out + i) * iv);
    for (; i < n; i++) out[i] *= inv;
  }
}

/* scratch: n floats */
EXPORT void gorch_log_softmax(int rows, int n, const float *x, float *out, float *scratch) {
  for (int r = 0; r < rows; r++, x += n, out += n) {
    float m = row_max(n, x);
    if (m == INFINITY || m != m) {
      for (int i = 0; i < n; i++) out[i] = NAN;
      continue;
    }
    /* (x - max) - log(sum), in that order: folding max + log(sum) first loses the small term
     * when |max| is large (logits of 1e4 have an ulp of 1e-3) */
    float ls = logf(exp_shift_sum(n, x, m, scratch));
    f4 mv = f4_splat(m), lv = f4_splat(ls);
    int i = 0;
    for (; i + 4 <= n; i += 4) f4_store(out + i, (f4_load(x + i) - mv) - lv);
    for (; i < n; i++) out[i] = (x[i] - m) - ls;
  }
}

/* gamma/beta may be null (elementwise_affine=False). */
EXPORT void gorch_layer_norm(int rows, int n, const float *x, const float *gamma, const float *beta, float eps,
                             float *out) {
  for (int r = 0; r < rows; r++, x += n, out += n) {
    f4 s = {0};
    int i = 0;
    for (; i + 4 <= n; i += 4) s += f4_load(x + i);
    float sum = f4_hsum(s);
    for (; i < n; i++) sum += x[i];
    float mean = sum / (float)n;
    f4 mv = f4_splat(mean), v = {0};
    for (i = 0; i + 4 <= n; i += 4) { f4 d = f4_load(x + i) - mv; v += d * d; }
    float var = f4_hsum(v);
    for (; i < n; i++) { float d = x[i] - mean; var += d * d; }
    float rstd = 1.0f / sqrtf(var / (float)n + eps);
    f4 rv = f4_splat(rstd);
    for (i = 0; i + 4 <= n; i += 4) {
      f4 y = (f4_load(x + i) - mv) * rv;
      if (gamma) y = y * f4_load(gamma + i);
      if (beta) y = y + f4_load(beta + i);
      f4_store(out + i, y);
    }
    for (; i < n; i++) {
      float y = (x[i] - mean) * rstd;
      if (gamma) y *= gamma[i];
      if (beta) y += beta[i];
      out[i] = y;
    }
  }
}
