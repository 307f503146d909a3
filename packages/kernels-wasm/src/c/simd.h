/* One vector vocabulary for both builds. With -msimd128 the types lower to 128-bit WebAssembly
 * SIMD and the few operations whose exact instruction matters (pmin/pmax, splat loads) use
 * wasm_simd128.h; without it the same source compiles to scalar code for engines that reject SIMD
 * (WebAssembly.validate picks the build at load time). */
#ifndef GORCH_SIMD_H
#define GORCH_SIMD_H
#include <stdint.h>
#include <stddef.h>
#include <string.h>

typedef float f4 __attribute__((vector_size(16)));
typedef int32_t i4 __attribute__((vector_size(16)));
typedef uint32_t u4 __attribute__((vector_size(16)));
/* Unaligned views: tensors may start at any float offset. */
typedef float f4u __attribute__((vector_size(16), aligned(4)));
typedef uint16_t u16x4u __attribute__((vector_size(8), aligned(2)));

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
static inline f4 f4_max(f4 a, f4 b) { return (f4)wasm_f32x4_pmax((v128_t)a, (v128_t)b); }
static inline f4 f4_min(f4 a, f4 b) { return (f4)wasm_f32x4_pmin((v128_t)a, (v128_t)b); }
static inline f4 f4_sqrt(f4 a) { return (f4)wasm_f32x4_sqrt((v128_t)a); }
static inline f4 f4_abs(f4 a) { return (f4)wasm_f32x4_abs((v128_t)a); }
static inline f4 f4_bcast(const float *p) { return (f4)wasm_v128_load32_splat(p); }
/* torch.relu = clamp_min(x, 0): x < 0 -> +0, anything else (-0, NaN with its payload) unchanged.
 * pmax(x, 0) is exactly `x < 0 ? 0 : x`; written as a select, LLVM 14 emits f32x4.max (canonical
 * NaN, -0 -> +0) instead. */
static inline f4 f4_relu(f4 x) { return (f4)wasm_f32x4_pmax((v128_t)x, wasm_f32x4_splat(0.0f)); }
static inline float f4_hsum(f4 a) {
  v128_t v = (v128_t)a;
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(v, 0);
}
#else
/* Same semantics as pmax/pmin: `b` only when the comparison is true, so NaN in `a` survives. */
static inline f4 f4_sel(i4 m, f4 t, f4 f) { return (f4)(((i4)t & m) | ((i4)f & ~m)); }
static inline f4 f4_max(f4 a, f4 b) { return f4_sel(a < b, b, a); }
static inline f4 f4_min(f4 a, f4 b) { return f4_sel(b < a, b, a); }
static inline f4 f4_sqrt(f4 a) { return (f4){__builtin_sqrtf(a[0]), __builtin_sqrtf(a[1]), __builtin_sqrtf(a[2]), __builtin_sqrtf(a[3])}; }
static inline f4 f4_abs(f4 a) { return (f4)((i4)a & 0x7fffffff); }
static inline f4 f4_bcast(const float *p) { float v = *p; return (f4){v, v, v, v}; }
static inline float f4_hsum(f4 a) { return (a[0] + a[2]) + (a[1] + a[3]); }
/* relu on the bits: zero a lane that is negative, non-zero and not NaN (|bits| in [1, 0x7f800000]);
 * a float select compiles to f32.max here, which quiets NaN and turns -0 into +0. */
static inline f4 f4_relu(f4 x) {
  i4 b = (i4)x;
  u4 mag = (u4)b & 0x7fffffffu;
  i4 negative = (b < 0) & (i4)(mag - 1u < 0x7f800000u);
  return (f4)(b & ~negative);
}
#endif

static inline f4 f4_load(const float *p) { return *(const f4u *)p; }
static inline void f4_store(float *p, f4 v) { *(f4u *)p = v; }
static inline f4 f4_splat(float v) { return (f4){v, v, v, v}; }
static inline f4 f4_select(i4 mask, f4 t, f4 f) { return (f4)(((i4)t & mask) | ((i4)f & ~mask)); }

/* bfloat16 is the top half of a float32: widening is a 16-bit shift. */
static inline f4 f4_load_bf16(const uint16_t *p) {
  u4 w = __builtin_convertvector(*(const u16x4u *)p, u4);
  return (f4)(w << 16);
}
/* Sets the quiet bit of NaN lanes, as a hardware float16 -> float32 conversion (and torch's) does;
 * other lanes unchanged. For widening that only moves values (gorch_widen): arithmetic quiets a
 * signalling NaN by itself, so the matrix kernels skip this. */
static inline f4 f4_quiet_nan(f4 v) {
  i4 b = (i4)v;
  i4 nan = (i4)(((u4)b & 0x7fffffffu) > 0x7f800000u);
  return (f4)(b | (nan & 0x00400000));
}
/* IEEE binary16 -> binary32 without a hardware converter: move exponent and mantissa into place,
 * rescale by 2^112 (which also normalises subnormals), and restore Inf/NaN exponents. A signalling
 * NaN stays signalling: the matrix kernels only multiply it (which quiets it); copies add
 * f4_quiet_nan. */
static inline f4 f4_load_f16(const uint16_t *p) {
  u4 h = __builtin_convertvector(*(const u16x4u *)p, u4);
  u4 sign = (h & 0x8000u) << 16;
  u4 em = (h & 0x7fffu) << 13;
  f4 mag = (f4)em * f4_splat(0x1p112f);
  i4 infnan = (i4)((h & 0x7c00u) == 0x7c00u);
  u4 special = em | 0x7f800000u;
  u4 bits = ((u4)mag & ~(u4)infnan) | (special & (u4)infnan);
  return (f4)(bits | sign);
}

#define EXPORT __attribute__((used, visibility("default")))
#endif
