// GPT-2-small decoding speed (random N(0, 0.02) weights, KV cache, greedy, batch 1) on gorch's 'js'
// backend, the 'wasm' backend with float32 weights as loaded, and 'wasm' with the weight matrices
// repacked to the decode layout (8-row panels, float32 or bfloat16; wte is tied to lm_head; LAYOUTS=
// panels,transposed adds the older transposed layout), beside onnxruntime-node (native, 1 intra-op thread and its
// default) running the same architecture exported by packages/kernels-wasm/tools/make_gpt2_decode_onnx.py
// (skipped with a message when bench/.data/gpt2_decode.onnx is absent).
// Interleaved: each round decodes STEPS tokens on every variant.
//   npx tsx --tsconfig bench/kernels/tsconfig.json bench/kernels/gpt2_decode.ts [--steps 32] [--rounds 3] [--no-js]
import * as T from '@gorch/tensor';
import { noGrad } from '@gorch/autograd';
import { GPT, KVCache } from '@gorch/nn';
import { initWasmBackend, repack, wasmKernelModule, type StorageLayout } from '@gorch/kernels-wasm';
import ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const STEPS = opt('--steps', 32);
const ROUNDS = opt('--rounds', 3);
const PROMPT = 8;

const config = { vocabSize: 50257, nPositions: 1024, nEmbd: 768, nHead: 12, nLayer: 12 };

/**
 * `storage`: null keeps the weights as loaded; otherwise every 2-D weight except wpe (all Linear
 * weights and the tied wte / lm_head) is repacked to `layout` (default: panels) in `format`.
 */
function build(backend: string, storage: null | 'float32' | 'bfloat16', layout: StorageLayout = 'panels'): GPT {
  T.setBackend(backend);
  T.manualSeed(0);
  const model = new GPT(config).tieLMHeadToEmbedding();
  if (storage !== null) {
    noGrad(() => {
      for (const [name, p] of model.namedParameters()) {
        if (p.ndim !== 2 || name.startsWith('wpe')) continue;
        const h = repack(p, { format: storage, layout });
        T.engine.assign(p, h); // the parameter now shares the repacked storage
        h.dispose();
      }
    });
  }
  return model;
}

/** Decodes STEPS tokens after a PROMPT-token prefill; returns tokens/s of the decode steps. */
function decode(backend: string, model: GPT): number {
  T.setBackend(backend);
  const cache = new KVCache(config.nLayer);
  let ids: number[] = Array.from({ length: PROMPT }, (_, i) => (i * 7919) % config.vocabSize);
  let t0 = 0;
  noGrad(() => {
    for (let s = 0; s <= STEPS; s++) {
      if (s === 1) t0 = performance.now();
      const next = T.tidy(() => {
        const logits = model.forward(T.tensor(ids, { dtype: 'int32' }), { kvCache: cache });
        return T.argmax(T.slice(logits, 0, logits.shape[0] - 1), -1);
      });
      ids = [next.dataSync()[0]];
      next.dispose();
    }
  });
  const dt = performance.now() - t0;
  cache.dispose();
  return (STEPS * 1000) / dt;
}

/** The same loop on onnxruntime-node: one token per run, `present` fed back as `past`. */
async function decodeOrt(session: ort.InferenceSession): Promise<number> {
  const { nLayer: L, nHead: H, nEmbd: E } = config;
  let past: ort.Tensor = new ort.Tensor('float32', new Float32Array(0), [L, 2, H, 0, E / H]);
  let tok = 1;
  let t0 = 0;
  for (let s = 0; s < PROMPT + STEPS; s++) {
    if (s === PROMPT) t0 = performance.now();
    const ids = s < PROMPT ? (s * 7919) % config.vocabSize : tok;
    const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from([BigInt(ids)]), [1, 1]), position: new ort.Tensor('int64', BigInt64Array.from([BigInt(s)]), [1]), past });
    past = out.present as ort.Tensor;
    const logits = out.logits.data as Float32Array;
    let best = 0;
    for (let j = 1; j < logits.length; j++) if (logits[j] > logits[best]) best = j;
    tok = best;
  }
  return (STEPS * 1000) / (performance.now() - t0);
}

const caps = await initWasmBackend();
console.log(`wasm: ${caps.threadsReason}`);
// Single-threaded rounds detach the worker pool from the module for their duration: same build,
// same heap, same (bit-identical) results, one thread.
const km = wasmKernelModule()!;
const pool = km.pool;
const withThreads = (threaded: boolean, fn: () => number): number => {
  km.pool = threaded ? pool : null;
  try { return fn(); } finally { km.pool = pool; }
};
interface Variant { name: string; run: () => Promise<number> | number }
const variants: Variant[] = [];
const layouts = process.env.LAYOUTS ? (process.env.LAYOUTS.split(',') as StorageLayout[]) : (['panels'] as const);
const storages: [string, null | 'float32' | 'bfloat16', StorageLayout][] = [['gorch wasm (float32)', null, 'rows']];
for (const l of layouts) storages.push([`gorch wasm (float32, ${l})`, 'float32', l], [`gorch wasm (bf16, ${l})`, 'bfloat16', l]);
for (const [name, storage, layout] of storages) {
  const model = build('wasm', storage, layout);
  variants.push({ name: `${name}, 1 thread`, run: () => withThreads(false, () => decode('wasm', model)) });
  if (pool) variants.push({ name: `${name}, ${pool.size} threads`, run: () => withThreads(true, () => decode('wasm', model)) });
}
if (!args.includes('--no-js')) {
  const model = build('js', null);
  variants.push({ name: 'gorch js', run: () => decode('js', model) });
}
const onnxPath = fileURLToPath(new URL('../.data/gpt2_decode.onnx', import.meta.url));
if (existsSync(onnxPath)) {
  for (const [name, threads] of [['onnxruntime-node (1 thread)', 1], ['onnxruntime-node (default threads)', 0]] as const) {
    const session = await ort.InferenceSession.create(onnxPath, threads ? { intraOpNumThreads: threads } : {});
    variants.push({ name, run: () => decodeOrt(session) });
  }
} else {
  console.log(`(${onnxPath} missing: run /usr/bin/python3 packages/kernels-wasm/tools/make_gpt2_decode_onnx.py for the onnxruntime rows)`);
}
const results = variants.map(() => [] as number[]);
for (const v of variants) await v.run(); // warm-up
for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < variants.length; i++) results[i].push(await variants[i].run());
console.log(`GPT-2 small decode, ${STEPS} tokens after a ${PROMPT}-token prompt, median of ${ROUNDS} rounds`);
variants.forEach((v, i) => {
  const s = results[i].sort((a, b) => a - b);
  console.log(`${v.name.padEnd(48)} ${s[s.length >> 1].toFixed(1)} tokens/s   (rounds: ${s.map((x) => x.toFixed(1)).join(', ')})`);
});
