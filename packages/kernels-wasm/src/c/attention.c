/* One decoding step of causal self-attention for one sequence (Vaswani et al. 2017, eq. 1):
 * the new query attends to cached positions 0..T-1 (causality means exactly those), so the mask is
 * the cache length. Per head h:  s_t = scale * q_h . k_h[t];  p = softmax(s);  out_h = sum_t p_t v_h[t].
 * Caches are addressed by strides so [H, Tmax, D] and [Tmax, H, D] layouts both work. */
#include "vmath.h"
#include <math.h>

/* q, out: [H, D] contiguous. k/v element (h, t, d) at h*sh + t*st + d. scores: T floats. */
EXPORT void gorch_attention_decode(int H, int T, int D, float scale, const float *q, const float *k,
                                   const float *v, int sh, int st, float *out, float *scores) {
  for (int h = 0; h < H; h++) {
    const float *qh = q + (size_t)h * D;
    const float *kh = k + (size_t)h * sh;
    const float *vh = v + (size_t)h * sh;
    float *oh = out + (size_t)h * D;
    float m = -INFINITY;
    for (int t = 0; t < T; t++) {
      const float *kt = kh + (size_t)t * st;
      f4 a = {0};
      int d = 0;
      for (; d + 4 <= D; d += 4) a += f4_load(qh + d) * f4_load(kt + d);
      float s = f4_hsum(a);
      for (; d < D; d++) s += qh[d] * kt[d];
      s *= scale;
      scores[t] = s;
      m = s > m ? s : m;
    }
    float sum = 0.0f;
    int t = 0;
    f4 mv = f4_splat(m), sv = {0};
    for (; t + 4 <= T; t += 4) { f4 e = f4_exp(f4_load(scores + t) - mv); f4_store(scores + t, e); sv += e; }
    for (; t < T; t++) { float tmp[4] = {scores[t] - m, 0, 0, 0}; float e = f4_exp(f4_load(tmp))[0]; scores[t] = e; sum += e; }
    sum += f4_hsum(sv);
    float inv = 1.0f / sum;
    memset(oh, 0, sizeof(float) * (size_t)D);
    for (t = 0; t < T; t++) {
      const float *vt = vh + (size_t)t * st;
      float p = scores[t] * inv;
      f4 pv = f4_splat(p);
      int d = 0;
      for (; d + 4 <= D; d += 4) f4_store(oh + d, f4_load(oh + d) + pv * f4_load(vt + d));
      for (; d < D; d++) oh[d] += p * vt[d];
    }
  }
}
