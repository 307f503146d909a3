// Kernel-level randomized tests: every C kernel (SIMD and scalar builds) against plain JS loops in
// reference.ts, at odd sizes so every vector tail and edge tile runs, with strided operands.
import { beforeAll, describe, expect, it } from 'vitest';
import { KernelModule } from '../src/kernel_module';
import { BinaryOp, UnaryOp } from '../src/wasm_exports';
import { bf16ToNumber, f16ToNumber, maxRelErr, numberToBf16, numberToF16, randn, refGemm, rng } from './reference';

const SIZES = [1, 3, 7, 17, 129];

describe.each([
  { build: 'simd', simd: true },
  { build: 'scalar', simd: false },
])('$build build', ({ simd }) => {
  let km: KernelModule;
  beforeAll(async () => {
    km = await KernelModule.load({ simd });
  });
  const put = (a: Float32Array | Int32Array | Uint16Array) => km.alloc(a);

  it('loads the requested build', () => {
    expect(km.simd).toBe(simd);
  });

  it('gemm matches float64 loops for odd sizes, transposed operands and accumulate', () => {
    const r = rng(1);
    for (const M of SIZES) for (const N of [1, 5, 17, 130]) for (const K of [1, 7, 300]) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true]]) {
        const A = randn(M * K, r), B = randn(K * N, r), C0 = randn(M * N, r);
        const [sam, sak] = ta ? [1, M] : [K, 1];
        const [sbk, sbn] = tb ? [1, K] : [N, 1];
        const pa = put(A), pb = put(B), pc = put(C0);
        km.exports.gorch_gemm(M, N, K, pa, sam, sak, pb, sbk, sbn, pc, N, 1);
        const want = refGemm(M, N, K, A, sam, sak, B, sbk, sbn).map((v, i) => v + C0[i]);
        // float32 accumulation error grows with K: allclose(rtol=1e-4, atol=1e-5)
        const { err, at } = maxRelErr(km.readF32(pc, M * N), want, 0.1);
        expect(err, `M=${M} N=${N} K=${K} ta=${ta} tb=${tb} at ${at}`).toBeLessThan(1e-4);
        km.free(pa); km.free(pb); km.free(pc);
      }
    }
  });

  it('bmm broadcasts a batch stride of 0', () => {
    const r = rng(2);
    const [Bt, M, N, K] = [3, 5, 9, 17];
    const A = randn(Bt * M * K, r), B = randn(K * N, r);
    const pa = put(A), pb = put(B), pc = km.malloc(Bt * M * N * 4);
    km.exports.gorch_bmm(Bt, M, N, K, pa, M * K, K, 1, pb, 0, N, 1, pc);
    const got = km.readF32(pc, Bt * M * N);
    for (let b = 0; b < Bt; b++) {
      const want = refGemm(M, N, K, A.subarray(b * M * K), K, 1, B, N, 1);
      expect(maxRelErr(got.subarray(b * M * N, (b + 1) * M * N), want, 1e-3).err).toBeLessThan(1e-4);
    }
    km.free(pa); km.free(pb); km.free(pc);
  });

  it.each(['f32', 'bf16', 'f16'] as const)('matvec and vecmat with %s weights', (wt) => {
    const r = rng(3);
    for (const [N, K] of [[1, 1], [3, 7], [17, 129], [130, 1000], [5, 2051]]) {
      const Wf = randn(N * K, r);
      let pw: number;
      let Wref: Float64Array;
      if (wt === 'f32') { pw = put(Wf); Wref = Float64Array.from(Wf); }
      else {
        const enc = wt === 'bf16' ? numberToBf16 : numberToF16, dec = wt === 'bf16' ? bf16ToNumber : f16ToNumber;
        const bits = Uint16Array.from(Wf, enc);
        pw = put(bits);
        Wref = Float64Array.from(bits, dec);
      }
      const x = randn(K, r), px = put(x), py = km.malloc(N * 4);
      km.exports[`gorch_matvec_${wt}`](N, K, pw, px, py); // W as [N, K]
      const want = new Float64Array(N);
      for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) want[n] += Wref[n * K + k] * x[k];
      expect(maxRelErr(km.readF32(py, N), want, 0.1).err, `matvec N=${N} K=${K}`).toBeLessThan(1e-4);
      // the same weights read as [K', N'] = [N, K]: y'[j] = sum_i x'[i] W[i, j]
      const x2 = randn(N, r), px2 = put(x2), py2 = km.malloc(K * 4);
      km.exports[`gorch_vecmat_${wt}`](N, K, px2, pw, py2, 0);
      const want2 = new Float64Array(K);
      for (let i = 0; i < N; i++) for (let j = 0; j < K; j++) want2[j] += x2[i] * Wref[i * K + j];
      expect(maxRelErr(km.readF32(py2, K), want2, 0.1).err, `vecmat K=${N} N=${K}`).toBeLessThan(1e-4);
      for (const p of [pw, px, py, px2, py2]) km.free(p);
    }
  });

  it('f16 widening handles subnormals, infinities, NaN and signed zero', () => {
    const bits = Uint16Array.from([0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0x7bff, 0x7c00, 0xfc00, 0x7e00, 0xc000, 0x8001]);
    const pw = put(bits), px = put(new Float32Array([1])), py = km.malloc(bits.length * 4);
    km.exports.gorch_matvec_f16(bits.length, 1, pw, px, py);
    const got = km.readF32(py, bits.length);
    bits.forEach((b, i) => expect(Object.is(got[i], f16ToNumber(b)) || got[i] === f16ToNumber(b), `0x${b.toString(16)}`).toBe(true));
    km.free(pw); km.free(px); km.free(py);
  });

  it('binary ops broadcast with strides of 0 and match JS on every op', () => {
    const r = rng(4);
    const cases: [number[], number[], number[]][] = [
      [[7, 17], [17, 1], [17, 1]], // same shape
      [[7, 17], [17, 1], [0, 0]], // scalar b
      [[7, 17], [0, 0], [17, 1]], // scalar a
      [[7, 17], [17, 1], [0, 1]], // row bias
      [[3, 5, 129], [0, 129, 1], [5, 1, 0]], // both broadcast, b broadcast on inner axis
      [[2, 3, 4, 5], [60, 20, 5, 1], [0, 1, 0, 3]], // strided b
    ];
    const fns: Record<keyof typeof BinaryOp, (x: number, y: number) => number> = {
      add: (x, y) => x + y, sub: (x, y) => x - y, mul: (x, y) => x * y, div: (x, y) => x / y,
      maximum: (x, y) => Math.max(x, y), minimum: (x, y) => Math.min(x, y),
    };
    for (const [shape, sa, sb] of cases) {
      const n = shape.reduce((p, q) => p * q, 1);
      const span = (s: number[]) => 1 + shape.reduce((acc, d, i) => acc + (d - 1) * s[i], 0);
      const A = randn(span(sa), r), B = randn(span(sb), r);
      B[0] = NaN;
      const pa = put(A), pb = put(B), po = km.malloc(n * 4);
      for (const [name, code] of Object.entries(BinaryOp)) {
        const pshape = km.malloc(shape.length * 12);
        km.i32().set([...shape, ...sa, ...sb], pshape >> 2);
        const nd = shape.length;
        expect(km.exports.gorch_binary(code, nd, pshape, pa, pshape + nd * 4, pb, pshape + nd * 8, po)).toBe(0);
        const got = km.readF32(po, n);
        const want = new Float32Array(n);
        const idx = new Array(nd).fill(0);
        for (let i = 0; i < n; i++) {
          let ia = 0, ib = 0;
          for (let d = 0; d < nd; d++) { ia += idx[d] * sa[d]; ib += idx[d] * sb[d]; }
          want[i] = fns[name as keyof typeof BinaryOp](A[ia], B[ib]);
          for (let d = nd - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
        }
        expect(Array.from(got), `${name} ${JSON.stringify(shape)}`).toEqual(Array.from(want));
        km.free(pshape);
      }
      km.free(pa); km.free(pb); km.free(po);
    }
    expect(km.exports.gorch_binary(99, 1, km.params([1]), 0, 0, 0, 0, 0)).toBe(-1);
  });

  // Stated maximum errors (README): measured over [-20, 20] plus edge values against float64 Math.
  const unaryRef: Record<keyof typeof UnaryOp, [(x: number) => number, number, number]> = {
    // [reference, relative tolerance, absolute tolerance]
    exp: [Math.exp, 3e-7, 0],
    tanh: [Math.tanh, 2e-6, 1e-30],
    sigmoid: [(x) => 1 / (1 + Math.exp(-x)), 5e-7, 0],
    gelu: [(x) => 0.5 * x * (1 + erf(x / Math.SQRT2)), 2e-6, 3e-7],
    geluTanh: [(x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), 2e-6, 3e-7],
    relu: [(x) => (x < 0 ? 0 : x), 0, 0],
    neg: [(x) => -x, 0, 0],
    abs: [Math.abs, 0, 0],
    sqrt: [Math.sqrt, 6e-8, 0],
    silu: [(x) => x / (1 + Math.exp(-x)), 2e-6, 1e-30],
    erf: [erf, 0, 3e-7],
  };
  it.each(Object.keys(UnaryOp) as (keyof typeof UnaryOp)[])('unary %s within its stated error', (name) => {
    const [f, rtol, atol] = unaryRef[name];
    const xs = new Float32Array(20003);
    for (let i = 0; i < 20000; i++) xs[i] = -20 + (40 * i) / 19999;
    xs[20000] = 1e-6; xs[20001] = -3e-4; xs[20002] = 0.07;
    const px = put(xs), po = km.malloc(xs.length * 4);
    expect(km.exports.gorch_unary(UnaryOp[name], xs.length, px, po)).toBe(0);
    const got = km.readF32(po, xs.length);
    for (let i = 0; i < xs.length; i++) {
      const want = f(xs[i]);
      if (Number.isNaN(want)) { expect(got[i]).toBeNaN(); continue; }
      expect(Math.abs(got[i] - want), `${name}(${xs[i]}) = ${got[i]}, want ${want}`).toBeLessThanOrEqual(rtol * Math.abs(want) + atol + Math.abs(want) * 6e-8);
    }
    km.free(px); km.free(po);
  });

  it('exp is exact at the float32 range edges and propagates NaN', () => {
    const xs = new Float32Array([-Infinity, -104, -100, -87.5, 0, 88.5, 88.72, 89, Infinity, NaN]);
    const px = put(xs), po = km.malloc(xs.length * 4);
    km.exports.gorch_unary(UnaryOp.exp, xs.length, px, po);
    const got = km.readF32(po, xs.length);
    const want = Float32Array.from(xs, Math.exp);
    for (let i = 0; i < xs.length; i++) {
      if (Number.isNaN(want[i])) expect(got[i]).toBeNaN();
      else if (!Number.isFinite(want[i]) || want[i] === 0) expect(got[i]).toBe(want[i]);
      else expect(Math.abs(got[i] - want[i]) / want[i], `exp(${xs[i]})`).toBeLessThan(want[i] < 1.2e-38 ? 2e-3 : 3e-7);
    }
    km.free(px); km.free(po);
  });

  it('softmax, logSoftmax and layerNorm rows match float64 loops', () => {
    const r = rng(5);
    for (const n of [1, 3, 7, 17, 129, 1000]) {
      const rows = 3;
      const x = randn(rows * n, r, 10), px = put(x), po = km.malloc(rows * n * 4), ps = km.malloc(n * 4);
      const g = randn(n, r), b = randn(n, r), pg = put(g), pb = put(b);
      const sm = new Float64Array(rows * n), lsm = new Float64Array(rows * n), ln = new Float64Array(rows * n);
      for (let i = 0; i < rows; i++) {
        const row = Array.from(x.subarray(i * n, (i + 1) * n));
        const m = Math.max(...row);
        const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
        const mean = row.reduce((s, v) => s + v, 0) / n;
        const v = row.reduce((s, q) => s + (q - mean) ** 2, 0) / n;
        row.forEach((q, j) => {
          sm[i * n + j] = Math.exp(q - m) / z;
          lsm[i * n + j] = q - m - Math.log(z);
          ln[i * n + j] = ((q - mean) / Math.sqrt(v + 1e-5)) * g[j] + b[j];
        });
      }
      km.exports.gorch_softmax(rows, n, px, po);
      expect(maxRelErr(km.readF32(po, rows * n), sm, 1e-7).err, `softmax n=${n}`).toBeLessThan(1e-5);
      km.exports.gorch_log_softmax(rows, n, px, po, ps);
      expect(maxRelErr(km.readF32(po, rows * n), lsm, 0.1).err, `logSoftmax n=${n}`).toBeLessThan(1e-5);
      km.exports.gorch_layer_norm(rows, n, px, pg, pb, 1e-5, po);
      expect(maxRelErr(km.readF32(po, rows * n), ln, 0.1).err, `layerNorm n=${n}`).toBeLessThan(1e-4);
      for (const p of [px, po, ps, pg, pb]) km.free(p);
    }
  });

  it('embedding gathers rows and reports the first out-of-range index without writing', () => {
    const r = rng(6);
    const [V, D] = [50, 17];
    const table = randn(V * D, r), pt = put(table);
    const idx = Int32Array.from([3, 0, 49, 3, 7]), pi = put(idx), po = km.malloc(idx.length * D * 4);
    expect(km.exports.gorch_embedding(idx.length, pi, V, D, pt, po)).toBe(-1);
    const got = km.readF32(po, idx.length * D);
    idx.forEach((v, i) => expect(Array.from(got.subarray(i * D, (i + 1) * D))).toEqual(Array.from(table.subarray(v * D, (v + 1) * D))));
    const bad = put(Int32Array.from([1, 50, -1])), sentinel = km.alloc(new Float32Array(3 * D).fill(7));
    expect(km.exports.gorch_embedding(3, bad, V, D, pt, sentinel)).toBe(1);
    expect(km.readF32(sentinel, 3 * D).every((v) => v === 7)).toBe(true);
    for (const p of [pt, pi, po, bad, sentinel]) km.free(p);
  });

  it('conv2d (im2col + gemm) and maxPool2d match direct loops with stride, padding, dilation, groups', () => {
    const r = rng(7);
    for (const [N, C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, G] of [
      [1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0, 1, 1, 1],
      [2, 4, 9, 7, 6, 3, 2, 2, 1, 1, 2, 1, 2, 2],
      [1, 3, 17, 17, 8, 5, 5, 2, 2, 2, 2, 1, 1, 1],
    ]) {
      const OH = Math.floor((H + 2 * ph - dh * (kh - 1) - 1) / sh) + 1, OW = Math.floor((W + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
      const Cg = C / G, Og = O / G;
      const x = randn(N * C * H * W, r), w = randn(O * Cg * kh * kw, r), bias = randn(O, r);
      const want = new Float64Array(N * O * OH * OW);
      const pool = new Float32Array(N * C * OH * OW).fill(-Infinity);
      for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
        let s = bias[o];
        const g = Math.floor(o / Og);
        for (let c = 0; c < Cg; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
          const iy = oy * sh - ph + i * dh, ix = ox * sw - pw + j * dw;
          if (iy >= 0 && iy < H && ix >= 0 && ix < W) s += x[((n * C + g * Cg + c) * H + iy) * W + ix] * w[((o * Cg + c) * kh + i) * kw + j];
        }
        want[((n * O + o) * OH + oy) * OW + ox] = s;
      }
      for (let nc = 0; nc < N * C; nc++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++)
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
          const iy = oy * sh - ph + i * dh, ix = ox * sw - pw + j * dw;
          if (iy >= 0 && iy < H && ix >= 0 && ix < W) pool[(nc * OH + oy) * OW + ox] = Math.max(pool[(nc * OH + oy) * OW + ox], x[(nc * H + iy) * W + ix]);
        }
      const px = put(x), pw_ = put(w), pb = put(bias), po = km.malloc(want.length * 4), pcol = km.malloc(Cg * kh * kw * OH * OW * 4);
      km.exports.gorch_conv2d(km.params([N, C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw, G]), px, pw_, pb, po, pcol);
      expect(maxRelErr(km.readF32(po, want.length), want, 1e-3).err).toBeLessThan(1e-4);
      const pp = km.malloc(pool.length * 4);
      km.exports.gorch_max_pool2d(km.params([N, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw]), px, pp);
      expect(Array.from(km.readF32(pp, pool.length))).toEqual(Array.from(pool));
      for (const p of [px, pw_, pb, po, pcol, pp]) km.free(p);
    }
  });

  it('attention decode step equals softmax(q k^T * scale) v over the valid cache prefix', () => {
    const r = rng(8);
    for (const [H, T, D, Tmax] of [[1, 1, 1, 1], [3, 7, 17, 9], [12, 129, 64, 200]]) {
      const q = randn(H * D, r), k = randn(H * Tmax * D, r), v = randn(H * Tmax * D, r);
      const scale = 1 / Math.sqrt(D);
      const want = new Float64Array(H * D);
      for (let h = 0; h < H; h++) {
        const s = [];
        for (let t = 0; t < T; t++) { let d = 0; for (let i = 0; i < D; i++) d += q[h * D + i] * k[(h * Tmax + t) * D + i]; s.push(d * scale); }
        const m = Math.max(...s), z = s.reduce((a, b) => a + Math.exp(b - m), 0);
        for (let t = 0; t < T; t++) for (let i = 0; i < D; i++) want[h * D + i] += (Math.exp(s[t] - m) / z) * v[(h * Tmax + t) * D + i];
      }
      const pq = put(q), pk = put(k), pv = put(v), po = km.malloc(H * D * 4), ps = km.malloc(T * 4);
      km.exports.gorch_attention_decode(H, T, D, scale, pq, pk, pv, Tmax * D, D, po, ps);
      expect(maxRelErr(km.readF32(po, H * D), want, 1e-4).err, `H=${H} T=${T} D=${D}`).toBeLessThan(1e-4);
      for (const p of [pq, pk, pv, po, ps]) km.free(p);
    }
  });

  it('views stay valid across heap growth', () => {
    const before = km.heapBytes();
    const a = km.alloc(new Float32Array([1, 2, 3]));
    const big = km.malloc(before * 2); // forces memory.grow, detaching old views
    expect(km.heapBytes()).toBeGreaterThan(before);
    expect(Array.from(km.readF32(a, 3))).toEqual([1, 2, 3]);
    km.free(big); km.free(a);
  });
});

/** erf by its Maclaurin series / continued fraction, in float64 (reference only). */
function erf(x: number): number {
  const a = Math.abs(x);
  if (a > 6) return Math.sign(x);
  if (a < 2.5) {
    let sum = 0, term = a;
    for (let n = 0; n < 80; n++) { sum += term / (2 * n + 1); term *= (-a * a) / (n + 1); }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction (Lentz) for large |x|
  let f = a, C = a, D = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    D = a + an * D; D = 1 / D;
    C = a + an / C;
    f *= C * D;
  }
  return Math.sign(x) * (1 - Math.exp(-a * a) / (f * Math.sqrt(Math.PI)));
}
