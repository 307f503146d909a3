// Threads: one thread vs the worker pool on the same module and the same heap (the threads build),
// for the matrix x vector shapes of GPT-2-small decoding and for square gemm. Interleaved round by
// round, medians; the ratio is the speed-up the pool gives. This is where THREAD_MIN_MACS
// (src/kernels/matmul.ts) comes from. Also checks that both paths give bit-identical outputs.
//   npx tsx packages/kernels-wasm/bench/threads.ts [--rounds 15] [--threads 2]
import { KernelModule, WeightFormat, WeightLayout } from '../src/index';
import { chunkColumns, THREAD_MIN_MACS } from '../src/kernels/matmul';

const args = process.argv.slice(2);
const opt = (name: string, d: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const ROUNDS = opt('--rounds', 15);
const THREADS = opt('--threads', 2);

const km = await KernelModule.loadThreaded({}, THREADS);
const pool = km.pool!;
const e = km.exports;

function fill(ptr: number, n: number, seed: number): void {
  const f = km.f32();
  let s = seed;
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; f[(ptr >> 2) + i] = s / 2 ** 32 - 0.5; }
}

interface Case { label: string; M: number; N: number; K: number; fmt: number; transposed: number; bytes: number; gemm: boolean }
const cases: Case[] = [];
for (const [N, K] of [[768, 768], [2304, 768], [3072, 768], [768, 3072], [50257, 768]]) {
  cases.push({ label: `matvec W[${N},${K}] f32`, M: 1, N, K, fmt: WeightFormat.float32, transposed: 1, bytes: 4 * N * K, gemm: false });
  cases.push({ label: `vecmat W[${K},${N}] f32`, M: 1, N, K, fmt: WeightFormat.float32, transposed: 0, bytes: 4 * N * K, gemm: false });
  cases.push({ label: `matvec W[${N},${K}] bf16`, M: 1, N, K, fmt: WeightFormat.bfloat16, transposed: 1, bytes: 2 * N * K, gemm: false });
  cases.push({ label: `vecmat W[${K},${N}] bf16`, M: 1, N, K, fmt: WeightFormat.bfloat16, transposed: 0, bytes: 2 * N * K, gemm: false });
}
for (const [N, K] of [[256, 256], [512, 512], [768, 64]]) cases.push({ label: `matvec W[${N},${K}] f32`, M: 1, N, K, fmt: WeightFormat.float32, transposed: 1, bytes: 4 * N * K, gemm: false });
for (const n of [64, 96, 128, 192, 256, 512, 1024]) cases.push({ label: `gemm ${n}³`, M: n, N: n, K: n, fmt: WeightFormat.float32, transposed: 0, bytes: 0, gemm: true });

const med = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`threads=${pool.size}, rounds=${ROUNDS}, medians; speed-up = 1 thread / pool`);
for (const c of args.includes('--set-only') ? [] : cases) {
  const { M, N, K } = c;
  const x = km.malloc(4 * M * K), w = km.malloc(4 * N * K), o1 = km.malloc(4 * M * N), o2 = km.malloc(4 * M * N);
  fill(x, M * K, 1);
  fill(w, N * K, 2);
  // bf16 weights must be real bf16 values: reinterpreted float32 bits would be full of subnormals,
  // which x86 multiplies slowly
  if (c.fmt === WeightFormat.bfloat16) e.gorch_narrow_bf16(N * K, w, w);
  const macs = M * N * K;
  const reps = Math.max(1, Math.min(200, Math.round(2e7 / macs)));
  const step = chunkColumns(N, pool.size, c.gemm, c.transposed === 1);
  const one = (): void => { for (let r = 0; r < reps; r++) e.gorch_linear(M, N, K, x, w, c.fmt, c.transposed, 0, o1); };
  const many = (): void => { for (let r = 0; r < reps; r++) pool.linear(M, N, K, x, w, c.fmt, c.transposed, 0, o2, step); };
  one(); many();
  const t1: number[] = [], t2: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now(); one(); t1.push((performance.now() - t) / reps);
    t = performance.now(); many(); t2.push((performance.now() - t) / reps);
  }
  const a = km.u8().slice(o1, o1 + 4 * M * N), b = km.u8().slice(o2, o2 + 4 * M * N);
  const same = a.every((v, i) => v === b[i]);
  const [m1, m2] = [med(t1), med(t2)];
  const rate = (ms: number): string => (c.gemm ? `${((2 * macs) / ms / 1e6).toFixed(1)} GFLOP/s` : `${(c.bytes / ms / 1e6).toFixed(1)} GB/s`);
  console.log(`${c.label.padEnd(26)} macs ${String(macs).padStart(10)}  1 thread ${m1.toFixed(3)} ms (${rate(m1)})  pool ${m2.toFixed(3)} ms (${rate(m2)})  speed-up ${(m1 / m2).toFixed(2)}×${same ? '' : '  OUTPUTS DIFFER'}`);
  for (const p of [x, w, o1, o2]) km.free(p);
}
// The decode-relevant case: all 49 GPT-2-small Linear weights ([N, K] rows, or the same in 8-row
// panels; 474 MB in float32), one token's worth of matrix x vector products, streamed from DRAM
// rather than from cache.
{
  const shapes: [number, number][] = [];
  for (let l = 0; l < 12; l++) shapes.push([2304, 768], [768, 768], [3072, 768], [768, 3072]);
  shapes.push([50257, 768]);
  const ws = shapes.map(([N, K]) => { const p = km.malloc(4 * N * K); fill(p, N * K, N + K); return p; });
  const weights = (fmt: number, layout: number): number[] => shapes.map(([N, K], i) => {
    if (layout === WeightLayout.panels) { const p = km.malloc((fmt === WeightFormat.float32 ? 4 : 2) * N * K); e.gorch_panel_pack(fmt, N, K, ws[i], p); return p; }
    if (fmt === WeightFormat.float32) return ws[i];
    const p = km.malloc(2 * N * K); e.gorch_narrow_bf16(N * K, ws[i], p); return p;
  });
  const x = km.malloc(4 * 3072), y = km.malloc(4 * 50257);
  fill(x, 3072, 3);
  for (const layout of [WeightLayout.nk, WeightLayout.panels]) for (const fmt of [WeightFormat.float32, WeightFormat.bfloat16]) {
    const W = weights(fmt, layout);
    const bytes = shapes.reduce((s, [N, K]) => s + N * K * (fmt === WeightFormat.float32 ? 4 : 2), 0);
    const pass = (threaded: boolean): void => shapes.forEach(([N, K], i) => {
      const step = chunkColumns(N, pool.size, false, true);
      if (threaded && N * K >= THREAD_MIN_MACS.matvec && step < N) pool.linear(1, N, K, x, W[i], fmt, layout, 0, y, step);
      else e.gorch_linear(1, N, K, x, W[i], fmt, layout, 0, y);
    });
    pass(false); pass(true);
    const t1: number[] = [], t2: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let t = performance.now(); pass(false); t1.push(performance.now() - t);
      t = performance.now(); pass(true); t2.push(performance.now() - t);
    }
    const [m1, m2] = [med(t1), med(t2)];
    const name = `${layout === WeightLayout.panels ? 'panels' : 'rows  '} ${fmt === 0 ? 'f32 ' : 'bf16'}`;
    console.log(`GPT-2 Linear set ${name} ${(bytes / 1e6).toFixed(0)} MB  1 thread ${m1.toFixed(1)} ms (${(bytes / m1 / 1e6).toFixed(1)} GB/s)  pool ${m2.toFixed(1)} ms (${(bytes / m2 / 1e6).toFixed(1)} GB/s)  speed-up ${(m1 / m2).toFixed(2)}×`);
    for (const p of W) if (!ws.includes(p)) km.free(p);
  }
}
pool.dispose();
