// Threads investigation: the best case for splitting a kernel over worker threads on this machine.
// Each worker owns a kernel instance and computes its share of the columns of C = A B (or of the
// rows of W in y = W x); workers are started once and kept, so this measures only the parallel
// compute, none of the thread start-up or data copying a real implementation would add. Compare
// with 1 worker doing the whole product, interleaved, medians.
//   npx tsx packages/kernels-wasm/bench/threads.ts [--rounds 9]
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const wasmPath = fileURLToPath(new URL('../wasm/gorch-kernels-simd.wasm', import.meta.url));
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 9;

// Worker: instantiate the kernels, fill inputs for its share, then run the kernel on request.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { kind, M, K, N } = workerData;
WebAssembly.instantiate(fs.readFileSync(workerData.wasmPath), { env: { emscripten_notify_memory_growth() {} } }).then(({ instance }) => {
  const e = instance.exports; e._initialize();
  const a = e.gorch_malloc(M * K * 4), b = e.gorch_malloc(K * N * 4), c = e.gorch_malloc(M * N * 4);
  new Float32Array(e.memory.buffer, a, M * K).fill(0.5);
  new Float32Array(e.memory.buffer, b, K * N).fill(0.25);
  parentPort.on('message', () => {
    const t = performance.now();
    if (kind === 'gemm') e.gorch_gemm(M, N, K, a, K, 1, b, N, 1, c, N, 0);
    else e.gorch_matvec_f32(N, K, b, a, c);
    parentPort.postMessage(performance.now() - t);
  });
  parentPort.postMessage('ready');
});`;

function start(kind: string, M: number, K: number, N: number): Promise<Worker> {
  const w = new Worker(workerSource, { eval: true, workerData: { wasmPath, kind, M, K, N } });
  return new Promise((res) => w.once('message', () => res(w)));
}
const run = (w: Worker): Promise<number> => new Promise((res) => { w.once('message', res); w.postMessage(0); });

async function compare(label: string, kind: string, M: number, K: number, N: number, bytes: number, flops: number): Promise<void> {
  const one = [await start(kind, M, K, N)];
  const two = [await start(kind, M, K, N / 2), await start(kind, M, K, N / 2)];
  const t1: number[] = [], t2: number[] = [];
  for (const ws of [one, two]) await Promise.all(ws.map(run)); // warm-up
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    await Promise.all(one.map(run));
    t1.push(performance.now() - t);
    t = performance.now();
    await Promise.all(two.map(run));
    t2.push(performance.now() - t);
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
  const [a, b] = [med(t1), med(t2)];
  console.log(`${label.padEnd(30)} 1 worker ${a.toFixed(1)} ms (${(flops / a / 1e6).toFixed(1)} GFLOP/s, ${(bytes / a / 1e6).toFixed(1)} GB/s)  2 workers ${b.toFixed(1)} ms  speed-up ${(a / b).toFixed(2)}×`);
  for (const w of [...one, ...two]) await w.terminate();
}

await compare('gemm 1024³', 'gemm', 1024, 1024, 1024, 3 * 4 * 1024 ** 2, 2 * 1024 ** 3);
await compare('gemm 512³', 'gemm', 512, 512, 512, 3 * 4 * 512 ** 2, 2 * 512 ** 3);
await compare('matvec W[3072,768]', 'matvec', 1, 768, 3072, 4 * 768 * 3072, 2 * 768 * 3072);
await compare('matvec W[50256,768]', 'matvec', 1, 768, 50256, 4 * 768 * 50256, 2 * 768 * 50256);
