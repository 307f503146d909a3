/**
 * Source of one kernel worker (Node `worker_threads` eval worker, or a Web Worker from a Blob URL):
 * plain JS with no imports, so no bundler has to find a second entry file. The worker instantiates
 * the threads build over the pool's shared memory (never calling `_initialize`, which would reset
 * the allocator; the module's start function initialises data once for all instances), moves its
 * stack pointer to its own stack, then claims chunks of the current job until none are left.
 * Protocol and control-block layout: src/thread_pool.ts.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const GEN = 0, CLAIM = 1, CHUNKS = 2, DONE = 3, EXIT = 4, STEP = 5, ARGS = 8;
const GEN_MASK = 0x3fffff, CHUNK_BITS = 10, CHUNK_MASK = 0x3ff;
let post;
function start(d) {
  WebAssembly.instantiate(d.module, { env: { memory: d.memory, emscripten_notify_memory_growth() {} } }).then((inst) => {
    const e = inst.exports;
    e.stackRestore(d.stackTop);
    const c = new Int32Array(d.memory.buffer, d.ctrl, 64);
    post('ready');
    let seen = Atomics.load(c, GEN);
    for (;;) {
      let spins = 0;
      while (Atomics.load(c, GEN) === seen) {
        if (++spins > d.spin) { Atomics.wait(c, GEN, seen); spins = 0; }
      }
      seen = Atomics.load(c, GEN);
      if (Atomics.load(c, EXIT) !== 0) return;
      const g = seen & GEN_MASK;
      const n = c[CHUNKS], step = c[STEP];
      const M = c[ARGS], N = c[ARGS + 1], K = c[ARGS + 2], x = c[ARGS + 3], W = c[ARGS + 4];
      const fmt = c[ARGS + 5], tr = c[ARGS + 6], bias = c[ARGS + 7], out = c[ARGS + 8];
      for (;;) {
        const v = Atomics.load(c, CLAIM);
        if ((v >>> CHUNK_BITS) !== g || (v & CHUNK_MASK) >= n) break;
        if (Atomics.compareExchange(c, CLAIM, v, v + 1) !== v) continue;
        const n0 = (v & CHUNK_MASK) * step;
        e.gorch_linear_cols(M, N, K, n0, Math.min(N, n0 + step), x, W, fmt, tr, bias, out, d.ws);
        if (Atomics.add(c, DONE, 1) + 1 === n) Atomics.notify(c, DONE);
      }
    }
  });
}
if (typeof require === 'function') {
  const { parentPort } = require('node:worker_threads');
  post = (m) => parentPort.postMessage(m);
  parentPort.once('message', start);
} else {
  post = (m) => self.postMessage(m);
  self.onmessage = (ev) => start(ev.data);
}
`;
