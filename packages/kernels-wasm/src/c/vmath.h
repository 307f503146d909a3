/* Vector exp and friends, shared by the unary, softmax and attention kernels.
 * exp follows the Cephes expf scheme (Moshier, "Methods and Programs for Mathematical Functions",
 * 1989): x = n*ln2 + r with |r| <= ln2/2, e^r by a degree-6 polynomial, 2^n built in the exponent
 * bits. 2^n is applied in two halves so n in [-150, 128] is exact, which keeps subnormal results
 * and overflow to +Inf correct without a clamp that would change them. */
#ifndef GORCH_VMATH_H
#define GORCH_VMATH_H
#include "simd.h"

static inline f4 f4_exp(f4 x) {
  x = f4_min(f4_max(x, f4_splat(-104.0f)), f4_splat(89.0f));
  const f4 magic = f4_splat(12582912.0f); /* 1.5*2^23: adding it rounds to the nearest integer */
  f4 nf = (x * f4_splat(1.44269504088896341f) + magic) - magic;
  f4 r = x - nf * f4_splat(0.693359375f);
  r = r - nf * f4_splat(-2.12194440e-4f);
  f4 p = f4_splat(1.9875691500e-4f);
  p = p * r + f4_splat(1.3981999507e-3f);
  p = p * r + f4_splat(8.3334519073e-3f);
  p = p * r + f4_splat(4.1665795894e-2f);
  p = p * r + f4_splat(1.6666665459e-1f);
  p = p * r + f4_splat(5.0000001201e-1f);
  p = p * r * r + r + f4_splat(1.0f);
  i4 n = __builtin_convertvector(nf, i4);
  i4 n1 = n >> 1;
  i4 n2 = n - n1;
  f4 s1 = (f4)((n1 + 127) << 23);
  f4 s2 = (f4)((n2 + 127) << 23);
  return p * s1 * s2;
}

/* tanh(x) = sign(x) (1 - e^{-2|x|}) / (1 + e^{-2|x|}); below 2^-12 tanh(x) == x in float32. */
static inline f4 f4_tanh(f4 x) {
  f4 ax = f4_abs(x);
  f4 t = f4_exp(ax * f4_splat(-2.0f));
  f4 y = (f4_splat(1.0f) - t) / (f4_splat(1.0f) + t);
  /* small |x|: odd Taylor series to x^5, error < x^7/16 */
  f4 x2 = x * x;
  f4 ys = ax + ax * x2 * (f4_splat(-1.0f / 3.0f) + x2 * f4_splat(2.0f / 15.0f));
  y = f4_select(ax < f4_splat(0.0625f), ys, y);
  i4 sign = (i4)x & (int32_t)0x80000000;
  return (f4)((i4)y | sign);
}

static inline f4 f4_sigmoid(f4 x) {
  return f4_splat(1.0f) / (f4_splat(1.0f) + f4_exp(-x));
}

/* erf by Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7) for |x| >= 0.5, where 1 - p e^{-x^2}
 * does not cancel; below 0.5 its Maclaurin series to x^11 (truncation < 2e-8, relative accuracy
 * near 0). Odd extension for x < 0. */
static inline f4 f4_erf(f4 x) {
  f4 ax = f4_abs(x);
  f4 t = f4_splat(1.0f) / (f4_splat(1.0f) + f4_splat(0.3275911f) * ax);
  f4 p = f4_splat(1.061405429f);
  p = p * t + f4_splat(-1.453152027f);
  p = p * t + f4_splat(1.421413741f);
  p = p * t + f4_splat(-0.284496736f);
  p = p * t + f4_splat(0.254829592f);
  p = p * t;
  f4 x2 = ax * ax;
  f4 y = f4_splat(1.0f) - p * f4_exp(-x2);
  f4 s = f4_splat(-1.0f / 1320.0f);
  s = s * x2 + f4_splat(1.0f / 216.0f);
  s = s * x2 + f4_splat(-1.0f / 42.0f);
  s = s * x2 + f4_splat(1.0f / 10.0f);
  s = s * x2 + f4_splat(-1.0f / 3.0f);
  s = s * x2 + f4_splat(1.0f);
  y = f4_select(ax < f4_splat(0.5f), s * ax * f4_splat(1.12837916709551257f), y);
  i4 sign = (i4)x & (int32_t)0x80000000;
  return (f4)((i4)y | sign);
}

#endif
