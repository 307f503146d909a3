// Where the single-threaded gemm stands against what wasm SIMD under V8 allows on this machine, in one
// process, interleaved round by round, medians (bench/ceiling.c has the probes):
//   peak                     register-only f32x4 multiply-adds: the multiply and add rate
//   tile 4x8, B in registers the gemm's register tile with 4 loads a step (A splats only)
//   tile 4x8                 the gemm's register tile as it runs: 6 loads a step, L1-resident data
//   gorch_gemm 1024          the whole blocked product (packing, cache blocking), no tensor API
//   T.matmul 1024            through @gorch/tensor, with dataSync (what bench/kernels.ts times)
//   npx tsx packages/kernels-wasm/bench/ceiling.ts [--rounds 15]
import * as T from '@gorch/tensor';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initWasmBackend, wasmKernelModule } from '../src/index';

const args = process.argv.slice(2);
const ROUNDS = Number(args[args.indexOf('--rounds') + 1]) || 15;
const here = dirname(fileURLToPath(import.meta.url));

interface Probe { peak(iters: number, m: number, k: number): number; tiles_4x8(reps: number, kc: number): void;
  tiles_4x8_b_in_registers(reps: number, kc: number): void; buffer(): number; memory: WebAssembly.Memory }

async function main(): Promise<void> {
  const probe = (await WebAssembly.instantiate(readFileSync(join(here, 'ceiling.wasm')), {})).instance.exports as unknown as Probe;
  const buf = probe.buffer(), kc = 256, tiles = 4000;
  const f = new Float32Array(probe.memory.buffer, buf, 4096);
  for (let i = 0; i < f.length; i++) f[i] = Math.sin(i) * 1e-3; // small values: no overflow, no denormals

  await initWasmBackend();
  const km = wasmKernelModule()!;
  km.pool = null; // single-threaded, as the bar
  T.setBackend('wasm');
  const n = 1024;
  const a = T.randn([n, n]), b = T.randn([n, n]);
  const e = km.exports;
  const [A, B, C] = [0, 1, 2].map(() => e.gorch_malloc(4 * n * n));
  km.f32().fill(0.5, A >>> 2, (A >>> 2) + 2 * n * n);

  const flops1024 = 2 * n ** 3, tileFlops = tiles * kc * 64;
  const probes: [string, number, () => void][] = [
    ['peak (registers only)', flops1024, () => void probe.peak(Math.round(flops1024 / 96), 0.999, 0.001)],
    ['tile 4x8, B in registers', tileFlops, () => probe.tiles_4x8_b_in_registers(tiles, kc)],
    ['tile 4x8 (the gemm\'s)', tileFlops, () => probe.tiles_4x8(tiles, kc)],
    ['gorch_gemm 1024', flops1024, () => e.gorch_gemm(n, n, n, A, n, 1, B, n, 1, C, n, 0)],
    ['T.matmul 1024 + dataSync', flops1024, () => { const c = T.matmul(a, b); c.dataSync(); c.dispose(); }],
  ];
  for (const [, , run] of probes) { run(); run(); }
  const times: number[][] = probes.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    probes.forEach(([, , run], i) => { const t0 = performance.now(); run(); times[i].push(performance.now() - t0); });
  }
  const g = probes.map(([, flops], i) => flops / times[i].sort((x, y) => x - y)[times[i].length >> 1] / 1e6);
  console.log(`node ${process.version}, ${ROUNDS} rounds, medians, one thread\n`);
  console.log('| probe | GFLOP/s | of peak |\n|---|---|---|');
  probes.forEach(([name], i) => console.log(`| ${name} | ${g[i].toFixed(1)} | ${((100 * g[i]) / g[0]).toFixed(0)} % |`));
}

await main();
