// Prefill: GPT-2-small's Linear set (12 x [2304,768] [768,768] [3072,768] [768,3072], plus the
// lm_head [50257,768] unless --no-lm-head) times x[M=128, K], the many-row products of a 128-token
// prompt. Contenders: float32 rows; float32 and bfloat16 8-row panels packed in place by the gemm
// (src/c/pack_weights.c); bfloat16 rows packed in place; and, for panels and bf16 rows, the previous
// path ("unpack"/"widen": copy the whole matrix to a float32 temporary, then the float32 gemm; in the
// pool the copy ran on the calling thread before the split, as linearCall did; float32 rows: the
// gemm's strided packing loop). Each contender on one
// thread and on the worker pool, same module and heap (threads build), interleaved Linear by Linear,
// medians; every output is checked bit for bit against the previous path.
//   npx tsx packages/kernels-wasm/bench/prefill.ts [--rounds 7] [--threads 2] [--rows 128] [--no-lm-head]
import { KernelModule, WeightFormat, WeightLayout } from '../src/index';
import { chunkColumns } from '../src/kernels/matmul';

const args = process.argv.slice(2);
const opt = (name: string, d: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const ROUNDS = opt('--rounds', 7);
const M = opt('--rows', 128);
const km = await KernelModule.loadThreaded({}, opt('--threads', 2));
const pool = km.pool!;
const e = km.exports;

function fill(ptr: number, n: number, seed: number): void {
  const f = km.f32();
  let s = seed;
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; f[(ptr >> 2) + i] = (s / 2 ** 32 - 0.5) * 0.04; }
}

const shapes: [number, number][] = [];
for (let l = 0; l < 12; l++) shapes.push([2304, 768], [768, 768], [3072, 768], [768, 3072]);
if (!args.includes('--no-lm-head')) shapes.push([50257, 768]);
const rows = shapes.map(([N, K]) => { const p = km.malloc(4 * N * K); fill(p, N * K, N + K); return p; });
// bf16-representable float32 values, so every contender multiplies the same numbers
for (const [i, [N, K]] of shapes.entries()) { const h = km.malloc(2 * N * K); e.gorch_narrow_bf16(N * K, rows[i], h); e.gorch_widen(WeightFormat.bfloat16, N * K, h, rows[i]); km.free(h); }
const store = (fmt: number, panels: boolean): number[] => shapes.map(([N, K], i) => {
  const p = km.malloc((fmt === WeightFormat.float32 ? 4 : 2) * N * K);
  if (panels) e.gorch_panel_pack(fmt, N, K, rows[i], p);
  else e.gorch_narrow_bf16(N * K, rows[i], p);
  return p;
});
const maxNK = Math.max(...shapes.map(([N, K]) => N * K));
const scratch = km.malloc(4 * maxNK);
const x = km.malloc(4 * M * 3072), y = km.malloc(4 * M * 50257);
fill(x, M * 3072, 3);

interface Contender { name: string; fmt: number; layout: number; W: number[]; copy: 'none' | 'unpack' | 'widen' | 'strided' }
const contenders: Contender[] = [
  { name: 'rows f32', fmt: 0, layout: WeightLayout.nk, W: rows, copy: 'none' },
  { name: 'panels f32 (in place)', fmt: 0, layout: WeightLayout.panels, W: store(0, true), copy: 'none' },
  { name: 'panels bf16 (in place)', fmt: 1, layout: WeightLayout.panels, W: store(1, true), copy: 'none' },
  { name: 'rows bf16 (in place)', fmt: 1, layout: WeightLayout.nk, W: store(1, false), copy: 'none' },
];
contenders.push({ ...contenders[1], name: 'panels f32 (unpack, old)', copy: 'unpack' });
contenders.push({ ...contenders[2], name: 'panels bf16 (unpack, old)', copy: 'unpack' });
contenders.push({ ...contenders[3], name: 'rows bf16 (widen, old)', copy: 'widen' });
// float32 [N, K] rows as the gemm packed them before: its strided element loop (gorch_gemm with
// B = W^T by strides); one thread only, the pool has no entry for it
contenders.push({ ...contenders[0], name: 'rows f32 (strided, old)', copy: 'strided' });

/** Contender `c` on Linear `i`; returns a checksum of the output's bits for the bit-identity check. */
function call(c: Contender, i: number, threaded: boolean): number {
  const [N, K] = shapes[i];
  let W = c.W[i], fmt = c.fmt, layout = c.layout;
  if (c.copy === 'strided') {
    e.gorch_gemm(M, N, K, x, K, 1, W, 1, K, y, N, 0);
  } else {
    if (c.copy !== 'none') {
      if (c.copy === 'unpack') e.gorch_panel_unpack(fmt, N, K, W, scratch);
      else e.gorch_widen(fmt, N * K, W, scratch);
      W = scratch; fmt = WeightFormat.float32; layout = WeightLayout.nk;
    }
    if (threaded) pool.linear(M, N, K, x, W, fmt, layout, 0, y, chunkColumns(N, pool.size, true, true));
    else e.gorch_linear(M, N, K, x, W, fmt, layout, 0, y);
  }
  let sum = 0;
  const u = new Uint32Array(km.u8().buffer, y, M * N);
  for (let j = 0; j < u.length; j += 97) sum = (sum * 31 + u[j]) >>> 0;
  return sum;
}

// Interleaved per Linear (every contender on Linear i, then on i + 1, ...), so that each
// comparison sees the same load on this shared machine; a contender's time is the sum over the
// Linears of its median per Linear.
const runs = contenders.flatMap((c) => (c.copy === 'strided' ? [false] : [false, true]).map((t) => ({ c, t, key: `${c.name}|${t}` })));
const times = new Map(runs.map((r) => [r.key, shapes.map(() => [] as number[])]));
const sums = new Map(runs.map((r) => [r.key, 0]));
for (let i = 0; i < shapes.length; i++) for (const r of runs) sums.set(r.key, (sums.get(r.key)! * 7 + call(r.c, i, r.t)) >>> 0); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < shapes.length; i++) for (const r of runs) {
    const t0 = performance.now();
    call(r.c, i, r.t);
    times.get(r.key)![i].push(performance.now() - t0);
  }
}
const med = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1];
const macs = shapes.reduce((a, [N, K]) => a + M * N * K, 0);
const total = (key: string): number => times.get(key)!.reduce((a, t) => a + med(t), 0);
console.log(`M=${M}, ${shapes.length} Linears, ${(macs / 1e9).toFixed(2)} GMAC per pass, threads=${pool.size}, rounds=${ROUNDS}, ms per pass (sum of per-Linear medians); ratio = rows f32 time / this time`);
const base = [total('rows f32|false'), total('rows f32|true')];
for (const c of contenders) {
  const m1 = total(`${c.name}|false`), m2 = c.copy === 'strided' ? 0 : total(`${c.name}|true`);
  const ref = c.copy === 'none' ? contenders.find((d) => d.copy !== 'none' && d.fmt === c.fmt && d.layout === c.layout) : undefined;
  const same = !ref || (sums.get(`${c.name}|false`) === sums.get(`${ref.name}|false`) && sums.get(`${c.name}|true`) === sums.get(`${ref.name}|false`));
  const gf = (ms: number): string => ((2 * macs) / ms / 1e6).toFixed(1);
  const poolCol = c.copy === 'strided' ? '' : `  pool ${m2.toFixed(0).padStart(6)} (${gf(m2)} GFLOP/s, ${(base[1] / m2).toFixed(2)}×)`;
  console.log(`${c.name.padEnd(27)} 1 thread ${m1.toFixed(0).padStart(6)} (${gf(m1)} GFLOP/s, ${(base[0] / m1).toFixed(2)}×)${poolCol}${same ? '' : '  OUTPUTS DIFFER FROM THE OLD PATH'}`);
}
pool.dispose();
