// Kernel benchmark: gorch 'wasm' vs gorch 'js', @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD,
// single-threaded) and onnxruntime-node (native; 1 intra-op thread and its default), in one process,
// interleaved round by round so machine noise hits every contender alike. Reports medians.
//   npx tsx packages/kernels-wasm/bench/kernels.ts [--rounds 7] [--quick] [--only matmul|matvec]
import * as T from '@gorch/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import ort from 'onnxruntime-node';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initWasmBackend, toHalfStorage, wasmKernelModule, type ThreadPool } from '../src/index';

const args = process.argv.slice(2);
const ROUNDS = Number(args[args.indexOf('--rounds') + 1]) || 7;
const QUICK = args.includes('--quick');
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

type Runner = () => Promise<void> | void;
/** `weightBytes`: bytes per weight element it streams (2 for half-width weights; 4 if absent). */
interface Contender { name: string; weightBytes?: number; setup: (M: number, K: number, N: number) => Promise<{ run: Runner; free: () => void }> }

function data(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; a[i] = s / 2 ** 32 - 0.5; }
  return a;
}

let pool: ThreadPool | null = null;

/** gorch on `backend`; for 'wasm', `threads` keeps the worker pool attached (else one thread, same build). */
function gorch(backend: 'js' | 'wasm', half?: 'bfloat16', threads = false): Contender {
  return {
    name: (half ? `gorch wasm (${half} weights)` : `gorch ${backend}`) + (threads ? ` (${pool?.size ?? 1} threads)` : ''),
    weightBytes: half ? 2 : 4,
    setup: async (M, K, N) => {
      T.setBackend(backend);
      const a = T.tensor(data(M * K, 1), { shape: [M, K] });
      let b = T.tensor(data(K * N, 2), { shape: [K, N] });
      if (half) { const h = toHalfStorage(b, half); b.dispose(); b = h; }
      const run = (): void => { T.setBackend(backend); const c = T.matmul(a, b); c.dataSync(); c.dispose(); };
      const km = wasmKernelModule()!;
      return {
        run: () => { km.pool = threads ? pool : null; try { run(); } finally { km.pool = pool; } },
        free: () => { a.dispose(); b.dispose(); },
      };
    },
  };
}

const tfjsWasm: Contender = {
  name: 'tfjs-backend-wasm (SIMD, 1 thread)',
  setup: async (M, K, N) => {
    const a = tf.tensor2d(data(M * K, 1), [M, K]);
    const b = tf.tensor2d(data(K * N, 2), [K, N]);
    return { run: () => { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); }, free: () => { a.dispose(); b.dispose(); } };
  },
};

/**
 * The ceiling probe (bench/ceiling.c): register-only f32x4 multiply-adds in the same wasm SIMD and V8,
 * timed for the same floating-point work as the product, so "wasm / peak" says how much of what this
 * machine can do at that moment the gemm gets. (Its speed drifts with the VM: 35-50 GFLOP/s seen.)
 */
async function peakProbe(): Promise<Contender> {
  const { instance } = await WebAssembly.instantiate(readFileSync(join(here, 'ceiling.wasm')), {});
  const peak = instance.exports.peak as (iters: number, m: number, k: number) => number;
  return {
    name: 'wasm f32x4 mul+add peak (registers only)',
    setup: async (M, K, N) => {
      const iters = Math.round((2 * M * K * N) / 96); // 96 flops per iteration
      return { run: () => void peak(iters, 0.999, 0.001), free: () => {} };
    },
  };
}

function onnx(threads: number): Contender {
  return {
    name: threads === 1 ? 'onnxruntime-node (1 thread)' : 'onnxruntime-node (default threads)',
    setup: async (M, K, N) => {
      const session = await ort.InferenceSession.create(join(here, 'models', 'matmul.onnx'), threads ? { intraOpNumThreads: threads } : {});
      const A = new ort.Tensor('float32', data(M * K, 1), [M, K]);
      const B = new ort.Tensor('float32', data(K * N, 2), [K, N]);
      return { run: async () => { const out = await session.run({ A, B }); void out.Y.data; }, free: () => void session.release() };
    },
  };
}

async function measure(contenders: Contender[], M: number, K: number, N: number, rounds: number): Promise<number[]> {
  const runs = [];
  for (const c of contenders) runs.push(await c.setup(M, K, N));
  for (const r of runs) { await r.run(); await r.run(); } // warm-up
  const times: number[][] = contenders.map(() => []);
  for (let i = 0; i < rounds; i++) {
    for (let j = 0; j < runs.length; j++) {
      const reps = M * K * N < 2e8 ? 5 : 1;
      const t0 = performance.now();
      for (let k = 0; k < reps; k++) await runs[j].run();
      times[j].push((performance.now() - t0) / reps);
    }
  }
  runs.forEach((r) => r.free());
  return times.map((t) => t.sort((x, y) => x - y)[t.length >> 1]);
}

async function main(): Promise<void> {
  const caps = await initWasmBackend();
  pool = wasmKernelModule()!.pool;
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
  console.log(`node ${process.version}, gorch wasm simd=${caps.simd}, ${caps.threadsReason}, tfjs backend=${tf.getBackend()}, rounds=${ROUNDS}, medians\n`);

  if (ONLY !== 'matvec') await matmulTable();
  if (ONLY !== 'matmul') await matvecTable();
}

async function matmulTable(): Promise<void> {
  const mm = [gorch('wasm'), tfjsWasm, onnx(1), await peakProbe(), onnx(0), ...(pool ? [gorch('wasm', undefined, true)] : []), ...(QUICK ? [] : [gorch('js')])];
  console.log('| matmul M=K=N | ' + mm.map((c) => c.name).join(' | ') + ' | wasm / tfjs | wasm / ort-1t | wasm / peak |');
  console.log('|---' + '|---'.repeat(mm.length + 3) + '|');
  for (const n of QUICK ? [256, 1024] : [256, 512, 1024]) {
    const t = await measure(mm, n, n, n, ROUNDS);
    const g = t.map((ms) => (2 * n ** 3) / ms / 1e6);
    console.log(`| ${n} | ${g.map((v) => v.toFixed(1)).join(' | ')} | ${(g[0] / g[1]).toFixed(2)}× | ${(g[0] / g[2]).toFixed(2)}× | ${((100 * g[0]) / g[3]).toFixed(0)} % |`);
  }
  console.log('\n(GFLOP/s)\n');
}

async function matvecTable(): Promise<void> {
  const mv = [gorch('wasm'), gorch('wasm', 'bfloat16'), tfjsWasm, onnx(1), onnx(0), ...(pool ? [gorch('wasm', undefined, true), gorch('wasm', 'bfloat16', true)] : []), ...(QUICK ? [] : [gorch('js')])];
  console.log('| x[1,K] @ W[K,N] | ' + mv.map((c) => c.name).join(' | ') + ' | wasm / ort-1t | bf16 / ort-default |');
  console.log('|---' + '|---'.repeat(mv.length + 2) + '|');
  for (const [K, N] of [[768, 3072], [3072, 768], [768, 50257]]) {
    const t = await measure(mv, 1, K, N, ROUNDS);
    const gbs = t.map((ms, i) => (K * N * (mv[i].weightBytes ?? 4)) / ms / 1e6);
    const gf = t.map((ms) => (2 * K * N) / ms / 1e6);
    console.log(`| ${K}×${N} | ${t.map((_, i) => `${gbs[i].toFixed(1)} GB/s (${gf[i].toFixed(1)} GFLOP/s)`).join(' | ')} | ${(t[3] / t[0]).toFixed(2)}× | ${(t[4] / t[1]).toFixed(2)}× |`);
  }
  console.log('\n(GB/s of weights streamed; bf16 weights are 2 bytes each. Ratios are of times: >1 means gorch is faster.)');
}

await main();
