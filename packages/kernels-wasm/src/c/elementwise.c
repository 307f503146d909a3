/* Element-wise kernels. Binary ops take an N-d output shape and per-operand element strides (0 on
 * broadcast axes), so every broadcast is one call; the innermost axis gets vector fast paths for
 * the three shapes that dominate real models: same shape, scalar operand, and row vector (bias). */
#include "vmath.h"

enum { OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_DIV = 3, OP_MAX = 4, OP_MIN = 5 };

#define DEFINE_INNER(name, VEXPR, SEXPR)                                                            \
  static void inner_##name(int n, const float *a, int sa, const float *b, int sb, float *o) {       \
    int i = 0;                                                                                     \
    if (sa == 1 && sb == 1) {                                                                      \
      for (; i + 4 <= n; i += 4) { f4 x = f4_load(a + i), y = f4_load(b + i); f4_store(o + i, VEXPR); } \
    } else if (sa == 1 && sb == 0) {                                                               \
      f4 y = f4_splat(*b);                                                                         \
      for (; i + 4 <= n; i += 4) { f4 x = f4_load(a + i); f4_store(o + i, VEXPR); }                \
    } else if (sa == 0 && sb == 1) {                                                               \
      f4 x = f4_splat(*a);                                                                         \
      for (; i + 4 <= n; i += 4) { f4 y = f4_load(b + i); f4_store(o + i, VEXPR); }                \
    }                                                                                              \
    for (; i < n; i++) { float x = a[(size_t)i * sa], y = b[(size_t)i * sb]; o[i] = SEXPR; }       \
  }

DEFINE_INNER(add, x + y, x + y)
DEFINE_INNER(sub, x - y, x - y)
DEFINE_INNER(mul, x * y, x * y)
DEFINE_INNER(div, x / y, x / y)
/* torch.maximum / minimum: the default NaN 0x7fc00000 if either is NaN (torch's scalar path), else
 * `x` unless `y` is strictly beyond it (pmax / pmin), so the vector body and the tail agree on ±0. */
DEFINE_INNER(max, f4_select((x != x) | (y != y), f4_splat(__builtin_nanf("")), f4_max(x, y)), (x != x || y != y) ? __builtin_nanf("") : (x < y ? y : x))
DEFINE_INNER(min, f4_select((x != x) | (y != y), f4_splat(__builtin_nanf("")), f4_min(x, y)), (x != x || y != y) ? __builtin_nanf("") : (y < x ? y : x))

typedef void (*inner_fn)(int, const float *, int, const float *, int, float *);
static const inner_fn INNER[] = {inner_add, inner_sub, inner_mul, inner_div, inner_max, inner_min};

/* out (contiguous, `shape`) = a op b. Returns 0, or -1 for an unknown op / rank above 8. */
EXPORT int gorch_binary(int op, int ndim, const int *shape, const float *a, const int *sa, const float *b,
                        const int *sb, float *out) {
  if (op < 0 || op > OP_MIN || ndim < 1 || ndim > 8) return -1;
  inner_fn f = INNER[op];
  int n = shape[ndim - 1];
  int ia = sa[ndim - 1], ib = sb[ndim - 1];
  size_t outer = 1;
  for (int d = 0; d < ndim - 1; d++) outer *= (size_t)shape[d];
  if (n == 0 || outer == 0) return 0;
  int idx[8] = {0};
  size_t offa = 0, offb = 0;
  for (size_t r = 0; r < outer; r++) {
    f(n, a + offa, ia, b + offb, ib, out + r * (size_t)n);
    for (int d = ndim - 2; d >= 0; d--) { /* odometer over the outer axes */
      idx[d]++;
      offa += (size_t)sa[d];
      offb += (size_t)sb[d];
      if (idx[d] < shape[d]) break;
      offa -= (size_t)sa[d] * (size_t)shape[d];
      offb -= (size_t)sb[d] * (size_t)shape[d];
      idx[d] = 0;
    }
  }
  return 0;
}

enum { U_EXP = 0, U_TANH, U_SIGMOID, U_GELU, U_GELU_TANH, U_RELU, U_NEG, U_ABS, U_SQRT, U_SILU, U_ERF, U_COUNT };

static inline f4 unary_vec(int op, f4 x) {
  switch (op) {
  case U_EXP: return f4_exp(x);
  case U_TANH: return f4_tanh(x);
  case U_SIGMOID: return f4_sigmoid(x);
  /* torch.nn.functional.gelu: x/2 (1 + erf(x/sqrt2)) */
  case U_GELU: return f4_splat(0.5f) * x * (f4_splat(1.0f) + f4_erf(x * f4_splat(0.70710678118654752f)));
  /* gelu(approximate='tanh'), GPT-2's "gelu_new" (Hendrycks & Gimpel 2016, eq. 2) */
  case U_GELU_TANH: {
    f4 u = f4_splat(0.79788456080286536f) * (x + f4_splat(0.044715f) * x * x * x);
    return f4_splat(0.5f) * x * (f4_splat(1.0f) + f4_tanh(u));
  }
  case U_RELU: return f4_relu(x);
  case U_NEG: return -x;
  case U_ABS: return f4_abs(x);
  case U_SQRT: return f4_sqrt(x);
  case U_SILU: return x * f4_sigmoid(x);
  case U_ERF: return f4_erf(x);
  }
  return x;
}

#define UNARY_LOOP(OPC)                                                                             \
  for (; i + 4 <= n; i += 4) f4_store(out + i, unary_vec(OPC, f4_load(x + i)));                    \
  if (i < n) {                                                                                     \
    float t[4] = {0, 0, 0, 0};                                                                     \
    for (int j = 0; i + j < n; j++) t[j] = x[i + j];                                               \
    f4 v = unary_vec(OPC, f4_load(t));                                                             \
    for (int j = 0; i + j < n; j++) out[i + j] = v[j];                                             \
  }

/* out[i] = f(x[i]) over n contiguous floats (in place allowed). Returns -1 for an unknown op. */
EXPORT int gorch_unary(int op, int n, const float *x, float *out) {
  int i = 0;
  switch (op) { /* one loop per op so the switch in unary_vec folds away */
  case U_EXP: UNARY_LOOP(U_EXP) break;
  case U_TANH: UNARY_LOOP(U_TANH) break;
  case U_SIGMOID: UNARY_LOOP(U_SIGMOID) break;
  case U_GELU: UNARY_LOOP(U_GELU) break;
  case U_GELU_TANH: UNARY_LOOP(U_GELU_TANH) break;
  case U_RELU: UNARY_LOOP(U_RELU) break;
  case U_NEG: UNARY_LOOP(U_NEG) break;
  case U_ABS: UNARY_LOOP(U_ABS) break;
  case U_SQRT: UNARY_LOOP(U_SQRT) break;
  case U_SILU: UNARY_LOOP(U_SILU) break;
  case U_ERF: UNARY_LOOP(U_ERF) break;
  default: return -1;
  }
  return 0;
}
