/* Ceiling probes for the gemm, timed beside it by bench/kernels.ts and bench/ceiling.ts, in the same
 * wasm SIMD and the same V8 as the kernels. Built by ../build.sh into bench/ceiling.wasm (not shipped).
 * Wasm SIMD on Node 20 has no fused multiply-add: a multiply-accumulate is an f32x4.mul and an
 * f32x4.add, and V8 never folds a load into either, so each load is an instruction of its own. */
#include <wasm_simd128.h>
typedef float f4 __attribute__((vector_size(16)));
#define EXPORT __attribute__((used, visibility("default"), noinline))

/* Register-only peak: `iters` iterations of 12 chained multiply-adds c = c*m + k (96 flops each).
 * Twelve chains cover the 3 + 3 cycle latency, so this runs at the machine's multiply and add rate. */
EXPORT float peak(int iters, float m0, float k0) {
  f4 m = {m0, m0, m0, m0}, k = {k0, k0, k0, k0};
  f4 c0 = k, c1 = k + 1, c2 = k + 2, c3 = k + 3, c4 = k + 4, c5 = k + 5;
  f4 c6 = k + 6, c7 = k + 7, c8 = k + 8, c9 = k + 9, c10 = k + 10, c11 = k + 11;
  for (int i = 0; i < iters; i++) {
    c0 = c0 * m + k; c1 = c1 * m + k; c2 = c2 * m + k; c3 = c3 * m + k;
    c4 = c4 * m + k; c5 = c5 * m + k; c6 = c6 * m + k; c7 = c7 * m + k;
    c8 = c8 * m + k; c9 = c9 * m + k; c10 = c10 * m + k; c11 = c11 * m + k;
  }
  f4 s = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
  return s[0] + s[1] + s[2] + s[3];
}

/* The tile probes' packed A (4 kc floats) then B (8 kc floats), kc <= 256; filled by the caller. */
static float probe_buffer[4096] __attribute__((aligned(16)));
EXPORT float *buffer(void) { return probe_buffer; }

#define SPLAT(p) ((f4)wasm_v128_load32_splat(p))
#define TILE_4x8_STEP(b0, b1)                                                \
  f4 x0 = SPLAT(a), x1 = SPLAT(a + 1), x2 = SPLAT(a + 2), x3 = SPLAT(a + 3); \
  c0 += x0 * b0; c1 += x0 * b1; c2 += x1 * b0; c3 += x1 * b1;                \
  c4 += x2 * b0; c5 += x2 * b1; c6 += x3 * b0; c7 += x3 * b1;

/* The gemm's 4x8 register tile over kc steps of packed A (4 floats a step) and B (8 floats a step),
 * both L1-resident: 2 vector loads + 4 splat loads + 8 multiplies + 8 adds a step (64 flops).
 * Returns a lane of the sum so nothing is dropped. */
static float tile_4x8(int kc, const float *a, const float *b) {
  f4 c0 = {0}, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (const float *end = b + kc * 8; b != end; a += 4, b += 8) {
    f4 b0 = *(const f4 *)b, b1 = *(const f4 *)(b + 4);
    TILE_4x8_STEP(b0, b1)
  }
  return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7)[0];
}

/* The same tile with B's two vectors held in registers: 4 loads a step instead of 6, same arithmetic.
 * The difference from tile_4x8 is what the two B loads cost. */
static float tile_4x8_b_in_registers(int kc, const float *a, const float *b) {
  f4 c0 = {0}, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  f4 b0 = *(const f4 *)b, b1 = *(const f4 *)(b + 4);
  for (const float *end = a + kc * 4; a != end; a += 4) {
    TILE_4x8_STEP(b0, b1)
  }
  return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7)[0];
}

/* `reps` tiles of kc steps in one call (so the JS call costs nothing). Each result is written into the
 * last B value, so no two tiles are alike and none can be skipped; a = buffer, b = buffer + 4 kc. */
EXPORT void tiles_4x8(int reps, int kc) {
  for (int r = 0; r < reps; r++) probe_buffer[12 * kc - 1] = 1e-3f * tile_4x8(kc, probe_buffer, probe_buffer + 4 * kc);
}
EXPORT void tiles_4x8_b_in_registers(int reps, int kc) {
  for (int r = 0; r < reps; r++)
    probe_buffer[4 * kc + 7] = 1e-3f * tile_4x8_b_in_registers(kc, probe_buffer, probe_buffer + 4 * kc);
}
