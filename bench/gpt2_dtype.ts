// What `gorch generate --dtype` buys on a GPT-2-small-shaped BF16 checkpoint (124M parameters, random
// N(0, 0.02) weights, HF layout, written once to bench/.data/gpt2-small-random-bf16) on the wasm
// backend: float32 rows (`--dtype float32`, and what `gorch generate` did before --dtype), bfloat16
// panels (`--dtype auto`, through @gorch/cli's weightStorage), and float32 panels (the layout --dtype
// float32 does NOT use: this row is why).
// Each (round, variant) runs in a fresh process, so peak RSS and the wasm heap are per load; rounds
// rotate the variant order; medians are reported. Decode = greedy with the KV cache after an 8-token
// prompt, batch 1, as `gorch generate` runs it (default threads), after an 8-token warm-up decode;
// prefill = one 128-token forward into an empty cache.
//   npx tsx --tsconfig bench/kernels/tsconfig.json bench/gpt2_dtype.ts [--rounds 5] [--steps 32]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noGrad } from '@gorch/autograd';
import { weightStorage } from '@gorch/cli';
import { configToJSON, gpt2Small, loadGPT2, newKVCache, type LoadGPT2Options } from '@gorch/gpt2';
import { encodeBf16, saveSafetensors, type TensorInput } from '@gorch/io-safetensors';
import { initWasmBackend, repack, type WasmBackend } from '@gorch/kernels-wasm';
import { argmax, getBackend, slice, tensor, tidy } from '@gorch/tensor';
import { randomGPT2State } from './random_gpt2';

const DIR = fileURLToPath(new URL('./.data/gpt2-small-random-bf16/', import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const ROUNDS = opt('--rounds', 5);
const STEPS = opt('--steps', 32);
const PROMPT = 8;
const PREFILL = 128;
const VARIANTS = ['float32 rows (--dtype float32)', 'float32 panels (not used)', 'bfloat16 panels (--dtype auto)'] as const;

async function makeCheckpoint(): Promise<void> {
  if (existsSync(join(DIR, 'model.safetensors'))) return;
  mkdirSync(DIR, { recursive: true });
  const cfg = gpt2Small();
  const tensors: Record<string, TensorInput> = {};
  for (const [key, t] of randomGPT2State(cfg)) tensors[key] = { dtype: 'BF16', shape: t.shape, data: encodeBf16(t.data as Float32Array) };
  await saveSafetensors(join(DIR, 'model.safetensors'), tensors, { format: 'pt' });
  writeFileSync(join(DIR, 'config.json'), JSON.stringify({ ...configToJSON(cfg), torch_dtype: 'bfloat16' }, null, 2));
}

async function child(variant: number): Promise<void> {
  await initWasmBackend();
  const f32Panels: LoadGPT2Options = {
    onWeight: (_n, t, info) => (info.role === 'linear' || info.role === 'tied-embedding' ? repack(t, { format: 'float32', layout: 'panels' }) : t),
  };
  const options = [weightStorage('float32', 'wasm'), f32Panels, weightStorage('auto', 'wasm')][variant];
  const t0 = performance.now();
  const model = await loadGPT2(DIR, undefined, options);
  const loadS = (performance.now() - t0) / 1000;
  const mem = (getBackend() as WasmBackend).memory();
  const out: Record<string, number> = { loadS, rssMB: process.resourceUsage().maxRSS / 1024, liveMB: mem.numBytes / 2 ** 20, heapMB: mem.heapBytes / 2 ** 20 };
  const ints = (a: number[]) => tensor(Int32Array.from(a), { shape: [a.length], dtype: 'int32' });
  /** Greedy decode of `steps` tokens after a `prompt`-token prefill; returns [prefill tok/s, decode tok/s]. */
  const decode = (prompt: number, steps: number): [number, number] => noGrad(() => {
    const cache = newKVCache(model);
    let ids = Array.from({ length: prompt }, (_, i) => (i * 7919) % 50257);
    let t = performance.now();
    let prefill = 0;
    for (let s = 0; s <= steps; s++) {
      const next = tidy(() => {
        const logits = model.forward(ints(ids), { kvCache: cache });
        return argmax(slice(logits, 0, logits.shape[0] - 1), -1);
      });
      ids = [next.dataSync()[0]];
      next.dispose();
      if (s === 0) {
        prefill = (prompt * 1000) / (performance.now() - t);
        t = performance.now();
      }
    }
    cache.dispose();
    return [prefill, (steps * 1000) / (performance.now() - t)];
  });
  decode(PROMPT, 8); // JIT and worker warm-up, as a second `gorch generate` token would see
  out.decodeTokS = decode(PROMPT, STEPS)[1];
  out.prefillTokS = decode(PREFILL, 0)[0];
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if (args.includes('--child')) return child(Number(args[args.indexOf('--child') + 1]));
  await makeCheckpoint();
  const fileMB = statSync(join(DIR, 'model.safetensors')).size / 2 ** 20;
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const tsconfig = fileURLToPath(new URL('./kernels/tsconfig.json', import.meta.url));
  const runs: Record<string, number>[][] = VARIANTS.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const v = (k + r) % VARIANTS.length;
      const line = execFileSync(tsx, ['--tsconfig', tsconfig, fileURLToPath(import.meta.url), '--child', String(v), '--steps', String(STEPS)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      runs[v].push(JSON.parse(line.trim().split('\n').at(-1)!));
      console.error(`round ${r + 1} ${VARIANTS[v]}: ${line.trim()}`);
    }
  }
  console.log(`GPT-2 small shape (124M params), random weights, BF16 model.safetensors ${fileMB.toFixed(0)} MiB; wasm backend; median of ${ROUNDS} fresh processes per row; decode ${STEPS} tokens after ${PROMPT}`);
  console.log(`| weights | load s | peak RSS MiB | wasm live MiB | wasm heap MiB | prefill ${PREFILL} tok/s | decode tok/s |`);
  console.log('|---|---|---|---|---|---|---|');
  VARIANTS.forEach((name, v) => {
    const m = (k: string) => median(runs[v].map((x) => x[k]));
    console.log(`| ${name} | ${m('loadS').toFixed(2)} | ${m('rssMB').toFixed(0)} | ${m('liveMB').toFixed(0)} | ${m('heapMB').toFixed(0)} | ${m('prefillTokS').toFixed(1)} | ${m('decodeTokS').toFixed(1)} |`);
  });
}

await main();
