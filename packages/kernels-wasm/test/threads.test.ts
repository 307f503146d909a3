// The worker pool (src/thread_pool.ts) against single-threaded kernels: every product split between
// threads must give the same bits as one thread (each output column is computed by one thread, in
// the single-threaded order), on odd sizes, every weight format and both layouts. The single-threaded
// reference is the plain SIMD build, whose own correctness kernels.test.ts checks against JS loops.
import * as T from '@gorch/tensor';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilities, disposeWasmThreads, initWasmBackend, KernelModule, toHalfStorage, wasmKernelModule, WeightFormat, WeightLayout } from '../src/index';
import { SplitPolicy } from '../src/thread_policy';
import { chunkColumns, THREAD_MIN_MACS } from '../src/kernels/matmul';
import { randn, rng } from './reference';

const sameBits = (a: Float32Array, b: Float32Array): number => {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let diff = 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) diff++;
  return diff;
};

describe('kernel worker pool', () => {
  let km: KernelModule;
  let ref: KernelModule;
  beforeAll(async () => {
    km = await KernelModule.loadThreaded({}, 3); // 3 threads even on 2 CPUs: more interleavings
    ref = await KernelModule.load({ simd: true });
  });
  afterAll(() => km.pool?.dispose());

  it('starts the requested number of threads', () => {
    expect(km.pool?.size).toBe(3);
  });

  it('linear split by columns is bit-identical to one thread, for every format, layout and odd size', () => {
    const r = rng(7);
    let checked = 0;
    for (const fmt of [WeightFormat.float32, WeightFormat.bfloat16, WeightFormat.float16]) {
      for (const M of fmt === WeightFormat.float32 ? [1, 3, 17] : [1, 3, 8]) for (const N of [9, 17, 130, 1001]) for (const K of [1, 7, 129, 300]) {
        for (const layout of [0, 1, 2]) for (const withBias of [false, true]) {
          const x = randn(M * K, r), b = randn(N, r);
          const wf = randn(N * K, r);
          let w: Float32Array | Uint16Array = fmt === WeightFormat.float32 ? wf : new Uint16Array(N * K);
          if (w instanceof Uint16Array) {
            const p = ref.alloc(wf), q = ref.malloc(2 * N * K);
            (fmt === WeightFormat.bfloat16 ? ref.exports.gorch_narrow_bf16 : ref.exports.gorch_narrow_f16)(N * K, p, q);
            w.set(ref.u16().subarray(q >> 1, (q >> 1) + N * K));
            ref.free(p); ref.free(q);
          }
          const rowMajor = w;
          if (layout === WeightLayout.panels) {
            const p = ref.alloc(wf), q = ref.malloc(w.byteLength);
            ref.exports.gorch_panel_pack(fmt, N, K, p, q);
            w = w instanceof Uint16Array ? ref.u16().slice(q >> 1, (q >> 1) + N * K) : ref.readF32(q, N * K);
            ref.free(p); ref.free(q);
          }
          const run = (m: KernelModule, threaded: boolean, step: number, weights = w, l = layout): Float32Array => {
            const px = m.alloc(x), pw = m.alloc(weights), pb = withBias ? m.alloc(b) : 0, out = m.malloc(4 * M * N);
            if (threaded) m.pool!.linear(M, N, K, px, pw, fmt, l, pb, out, step);
            else m.exports.gorch_linear(M, N, K, px, pw, fmt, l, pb, out);
            const y = m.readF32(out, M * N);
            for (const p of [px, pw, pb, out]) m.free(p);
            return y;
          };
          const want = run(ref, false, 0);
          // panels hold the same values as [N, K] rows and sum them in the same order (float32 rows
          // take the gemm from 2 rows on, panels from 9)
          if (layout === WeightLayout.panels && (M === 1 || M > 8 || fmt !== WeightFormat.float32)) expect(sameBits(want, run(ref, false, 0, rowMajor, WeightLayout.nk)), `panels vs rows fmt=${fmt} M=${M} N=${N} K=${K}`).toBe(0);
          for (const step of [8, 16, 8 * Math.ceil(N / 24)]) {
            const got = run(km, true, step);
            expect(sameBits(got, want), `fmt=${fmt} M=${M} N=${N} K=${K} layout=${layout} bias=${withBias} step=${step}`).toBe(0);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('gemm-sized products (many rows) split by column panels stay bit-identical', () => {
    const r = rng(8);
    for (const [M, N, K] of [[129, 257, 300], [64, 1000, 513], [5, 2050, 17]]) {
      const x = randn(M * K, r), w = randn(N * K, r);
      const px = km.alloc(x), pw = km.alloc(w), o1 = km.malloc(4 * M * N), o2 = km.malloc(4 * M * N);
      const rx = ref.alloc(x), rw = ref.alloc(w), ro = ref.malloc(4 * M * N);
      ref.exports.gorch_linear(M, N, K, rx, rw, 0, 0, 0, ro);
      km.pool!.linear(M, N, K, px, pw, 0, 0, 0, o1, 64);
      km.exports.gorch_linear(M, N, K, px, pw, 0, 0, 0, o2);
      const want = ref.readF32(ro, M * N);
      expect(sameBits(km.readF32(o1, M * N), want), `${M}x${N}x${K} pool`).toBe(0);
      expect(sameBits(km.readF32(o2, M * N), want), `${M}x${N}x${K} threads build, one thread`).toBe(0);
      for (const p of [px, pw, o1, o2]) km.free(p);
      for (const p of [rx, rw, ro]) ref.free(p);
    }
  });

  it('many rows: weights packed from their storage equal widen/unpack + float32 gemm bit for bit, on any column split', async () => {
    // The previous path, kept here as the reference: widen half-width rows (gorch_widen) or unpack
    // panels (gorch_panel_unpack) into a row-major float32 copy, then the float32 gemm; float32
    // [N, K] rows are compared with their transpose as [K, N] rows, which the gemm copies as they are.
    const scalar = await KernelModule.load({ simd: false });
    const r = rng(10);
    const sizes = [1, 3, 7, 8, 9, 17, 129, 300, 1001];
    let checked = 0, i = 0;
    for (const fmt of [WeightFormat.float32, WeightFormat.bfloat16, WeightFormat.float16]) for (const layout of [0, 1, 2]) {
      if (fmt === WeightFormat.float32 && layout === WeightLayout.kn) continue; // the gemm's own packing
      const f32rows = fmt === WeightFormat.float32 && layout === WeightLayout.nk; // packed in place from 2 rows
      for (const N of sizes) for (const K of sizes) {
        const M = (f32rows ? [2, 3, 17, 64] : [9, 17, 64])[i % (f32rows ? 4 : 3)], withBias = i++ % 2 === 1;
        const x = randn(M * K, r), b = randn(N, r), wf = randn(N * K, r);
        const oracle = (m: KernelModule): { stored: Float32Array | Uint16Array; want: Float32Array } => {
          const pf = m.alloc(wf), half = fmt !== WeightFormat.float32;
          const pw = m.malloc((half ? 2 : 4) * N * K), wide = m.malloc(4 * N * K);
          if (layout === WeightLayout.panels) {
            m.exports.gorch_panel_pack(fmt, N, K, pf, pw);
            m.exports.gorch_panel_unpack(fmt, N, K, pw, wide);
          } else if (f32rows) {
            const wt = new Float32Array(K * N);
            for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) wt[k * N + n] = wf[n * K + k];
            m.f32().set(wf, pw >> 2);
            m.f32().set(wt, wide >> 2);
          } else {
            (fmt === WeightFormat.bfloat16 ? m.exports.gorch_narrow_bf16 : m.exports.gorch_narrow_f16)(N * K, pf, pw);
            m.exports.gorch_widen(fmt, N * K, pw, wide);
          }
          const stored = half ? m.u16().slice(pw >> 1, (pw >> 1) + N * K) : m.readF32(pw, N * K);
          const px = m.alloc(x), pb = withBias ? m.alloc(b) : 0, out = m.malloc(4 * M * N);
          m.exports.gorch_linear(M, N, K, px, wide, WeightFormat.float32, layout === WeightLayout.kn || f32rows ? WeightLayout.kn : WeightLayout.nk, pb, out);
          const want = m.readF32(out, M * N);
          for (const p of [pf, pw, wide, px, pb, out]) m.free(p);
          return { stored, want };
        };
        const run = (m: KernelModule, stored: Float32Array | Uint16Array, step: number): Float32Array => {
          const px = m.alloc(x), pw = m.alloc(stored), pb = withBias ? m.alloc(b) : 0, out = m.malloc(4 * M * N);
          if (step > 0) m.pool!.linear(M, N, K, px, pw, fmt, layout, pb, out, step);
          else m.exports.gorch_linear(M, N, K, px, pw, fmt, layout, pb, out);
          const y = m.readF32(out, M * N);
          for (const p of [px, pw, pb, out]) m.free(p);
          return y;
        };
        const what = `fmt=${fmt} layout=${layout} M=${M} N=${N} K=${K} bias=${withBias}`;
        const { stored, want } = oracle(ref);
        expect(sameBits(run(ref, stored, 0), want), `${what} one thread`).toBe(0);
        for (const step of new Set([8, 16, chunkColumns(N, 2, true, true), chunkColumns(N, 3, true, true)])) {
          expect(sameBits(run(km, stored, step), want), `${what} step=${step}`).toBe(0);
          checked++;
        }
        const s = oracle(scalar);
        expect(sameBits(run(scalar, s.stored, 0), s.want), `${what} scalar build`).toBe(0);
      }
    }
    expect(checked).toBeGreaterThan(900);
  });

  it('rejects a chunk step that would split inside a column block', () => {
    expect(() => km.pool!.linear(1, 16, 4, 0, 0, 0, 1, 0, 0, 12)).toThrow(/multiple of 8/);
  });

  it('idle workers do not keep a Node process alive', async () => {
    const script = fileURLToPath(new URL('./fixtures/threads_exit.ts', import.meta.url));
    const { code, out } = await new Promise<{ code: number | null; out: string }>((res) => {
      const child = execFile(process.execPath, ['--import', 'tsx', script], { timeout: 60_000 }, (err, stdout) => res({ code: err ? (err as { code?: number }).code ?? -1 : 0, out: stdout }));
      void child;
    });
    expect(out).toContain('threads=2 y0=8'); // 64 × 0.5 × 0.25
    expect(code).toBe(0);
  }, 70_000);
});

describe('split policy', () => {
  it('does not count the first (cold) call of each path', () => {
    const p = new SplitPolicy();
    let pooledLater = 0;
    for (let i = 0; i < 24; i++) {
      const pooled = p.usePool('gemm', 1 << 28);
      // the first pooled call runs unoptimised code in the workers: 5x slower than one thread
      const first = pooled ? i === 0 : false;
      p.record('gemm', 1 << 28, pooled, first ? 10 : pooled ? 1 : 2);
      if (i >= 12 && pooled) pooledLater++;
    }
    expect(p.summary()).toEqual([{ group: 'gemm:2^28', pool: true, speedup: 2 }]);
    expect(pooledLater).toBeGreaterThanOrEqual(11);
  });

  it('times both paths, then takes the faster one and still re-times the other now and then', () => {
    const p = new SplitPolicy();
    const picks: boolean[] = [];
    for (let i = 0; i < 48; i++) {
      const pooled = p.usePool('dot', 1 << 20);
      picks.push(pooled);
      p.record('dot', 1 << 20, pooled, pooled ? 1 : 2); // the pool is twice as fast here
    }
    expect(picks.slice(0, 6).filter((x) => x).length).toBe(3); // warm-up alternates
    const after = picks.slice(6);
    expect(after.filter((x) => !x).length).toBeGreaterThanOrEqual(1); // exploration
    expect(after.filter((x) => x).length).toBeGreaterThan(after.length - 4);
    expect(p.summary()).toEqual([{ group: 'dot:2^20', pool: true, speedup: 2 }]);
    // the machine gets busy: the pool turns slower and the policy follows
    for (let i = 0; i < 200; i++) {
      const pooled = p.usePool('dot', 1 << 20);
      p.record('dot', 1 << 20, pooled, pooled ? 3 : 2);
    }
    let pooledLater = 0;
    for (let i = 0; i < 48; i++) if (p.usePool('dot', 1 << 20)) pooledLater++;
    expect(pooledLater).toBeLessThanOrEqual(2); // only the exploration calls
  });
});

describe('threaded wasm backend through the tensor API', () => {
  const saved = { ...THREAD_MIN_MACS };
  beforeAll(async () => {
    await initWasmBackend({ threads: 2 });
    THREAD_MIN_MACS.matvec = 0; // small odd shapes take the threaded path too
    THREAD_MIN_MACS.gemm = 0;
    wasmKernelModule()!.pool!.policy.mode = 'always';
  });
  afterAll(() => {
    Object.assign(THREAD_MIN_MACS, saved);
    T.setBackend('js');
  });

  it('reports threads on, with the count and why', () => {
    const c = capabilities();
    expect(c.threads).toBe(true);
    expect(c.threadCount).toBe(2);
    expect(c.threadsReason).toMatch(/2 threads/);
  });

  it('linear, matmul and half-width weights equal the single-threaded build bit for bit, and dispose works', async () => {
    const ref = await KernelModule.load({ simd: true });
    const r = rng(9);
    for (const [M, N, K] of [[1, 1001, 129], [3, 130, 300], [9, 257, 65], [1, 50, 768]]) {
      const x = randn(M * K, r), w = randn(N * K, r), b = randn(N, r);
      const tx = T.tensor(x, { shape: [M, K] }), tw = T.tensor(w, { shape: [N, K] }), tb = T.tensor(b, { shape: [N] });
      const h = toHalfStorage(tw, 'bfloat16'), twt = T.transpose(tw, 0, 1);
      const ys = [T.linear(tx, tw, tb), T.matmul(tx, twt), T.linear(tx, h)];
      const [lin, mm, half] = ys.map((t) => t.dataSync() as Float32Array);
      for (const t of [tx, tw, tb, h, twt, ...ys]) t.dispose();
      const px = ref.alloc(x), pw = ref.alloc(w), pb = ref.alloc(b), out = ref.malloc(4 * M * N);
      ref.exports.gorch_linear(M, N, K, px, pw, 0, 1, pb, out);
      expect(sameBits(lin, ref.readF32(out, M * N)), `linear ${M}x${N}x${K}`).toBe(0);
      const wt = new Float32Array(K * N); // matmul sees W^T as a [K, N] matrix: the axpy layout
      for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) wt[k * N + n] = w[n * K + k];
      const pwt = ref.alloc(wt);
      ref.exports.gorch_linear(M, N, K, px, pwt, 0, 0, 0, out);
      ref.free(pwt);
      expect(sameBits(mm, ref.readF32(out, M * N)), `matmul ${M}x${N}x${K}`).toBe(0);
      const hb = ref.malloc(2 * N * K);
      ref.exports.gorch_narrow_bf16(N * K, pw, hb);
      ref.exports.gorch_linear(M, N, K, px, hb, WeightFormat.bfloat16, 1, 0, out);
      expect(sameBits(half, ref.readF32(out, M * N)), `bf16 linear ${M}x${N}x${K}`).toBe(0);
      for (const p of [px, pw, pb, out, hb]) ref.free(p);
      if (M === 3) {
        disposeWasmThreads(); // the rest runs single-threaded on the same heap
        expect(capabilities()).toMatchObject({ threads: false, threadCount: 1 });
        expect(capabilities().threadsReason).toMatch(/disposed/);
      }
    }
  });
});
