// Threads: one thread vs the worker pool on the same module and the same heap (the threads build),
// for the matrix x vector shapes of GPT-2-small decoding and for square gemm. Interleaved round by
// round, medians; the ratio is the speed-up the pool gives. This is where THREAD_MIN_MACS
// (src/kernels/matmul.ts) comes from. Also checks that both paths give bit-identical outputs.
//   npx tsx packages/kernels-wasm/bench/threads.ts [--rounds 15] [--threads 2]
import { KernelModule, WeightFormat } from '../src/index';

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
}
for (const [N, K] of [[256, 256], [512, 512], [768, 64]]) cases.push({ label: `matvec W[${N},${K}] f32`, M: 1, N, K, fmt: WeightFormat.float32, transposed: 1, bytes: 4 * N * K, gemm: false });
for (const n of [64, 96, 128, 192, 256, 512, 1024]) cases.push({ label: `gemm ${n}³`, M: n, N: n, K: n, fmt: WeightFormat.float32, transposed: 0, bytes: 0, gemm: true });

const med = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`threads=${pool.size}, rounds=${ROUNDS}, medians; speed-up = 1 thread / pool`);
for (const c of cases) {
  const { M, N, K } = c;
  const x = km.malloc(4 * M * K), w = km.malloc(4 * N * K), o1 = km.malloc(4 * M * N), o2 = km.malloc(4 * M * N);
  fill(x, M * K, 1);
  fill(w, N * K, 2); // as bf16 the same bytes are just other (finite or not) values: timing only
  const macs = M * N * K;
  const reps = Math.max(1, Math.min(200, Math.round(2e7 / macs)));
  const step = 8 * Math.ceil(N / (pool.size * (c.gemm ? 2 : 4)) / 8);
  const one = (): void => { for (let r = 0; r < reps; r++) e.gorch_linear(M, N, K, x, w, c.fmt, c.transposed, 0, o1, 0); };
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
pool.dispose();
