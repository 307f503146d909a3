// GPT-2-small inference benchmark of @gorch/gpt2 on each backend (js, wasm).
//   npx nx run-many -t build -p gpt2 kernels-wasm && npx tsx bench/gpt2.ts [rounds=3]
// Makes (once) a GPT-2-small-shaped checkpoint with random weights in HF layout under
// bench/.data/gpt2-small-random, then, in a fresh child process per (round, backend) so RSS is
// per-run, measures: load time and peak RSS against the file size, prefill tokens/s for 128 tokens,
// decode tokens/s with the KV cache (16 steps) and without it (4 steps, full forward each).
// Rounds interleave the backends; medians are reported.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configToJSON, gpt2Small, loadGPT2, newKVCache, saveSafetensors } from '@gorch/gpt2';
import { noGrad } from '@gorch/autograd';
import { setBackend, tensor, tidy } from '@gorch/tensor';
import { randomGPT2State } from './random_gpt2';
import { initWasmBackend } from '@gorch/kernels-wasm';

const DIR = fileURLToPath(new URL('./.data/gpt2-small-random/', import.meta.url));
const PREFILL = 128;
const DECODE_CACHED = 16;
const DECODE_UNCACHED = 4;

async function makeCheckpoint(): Promise<void> {
  if (existsSync(join(DIR, 'model.safetensors'))) return;
  mkdirSync(DIR, { recursive: true });
  const cfg = gpt2Small();
  await saveSafetensors(join(DIR, 'model.safetensors'), randomGPT2State(cfg));
  writeFileSync(join(DIR, 'config.json'), JSON.stringify(configToJSON(cfg), null, 2));
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

async function child(backend: string): Promise<void> {
  if (backend === 'wasm') await initWasmBackend();
  else setBackend(backend);
  const t0 = performance.now();
  const model = await loadGPT2(DIR);
  const loadS = (performance.now() - t0) / 1000;
  const rssMB = process.resourceUsage().maxRSS / 1024;
  const ids = Array.from({ length: PREFILL + DECODE_UNCACHED }, (_, i) => (i * 7919) % 50257);
  const ints = (a: number[]) => tensor(Int32Array.from(a), { shape: [1, a.length], dtype: 'int32' });
  const out: Record<string, number> = { loadS, rssMB };
  noGrad(() => {
    const cache = newKVCache(model);
    out.prefillTokS = PREFILL / time(() => tidy(() => { model.forward(ints(ids.slice(0, PREFILL)), { kvCache: cache }).dataSync(); }));
    out.decodeCachedTokS = DECODE_CACHED / time(() => {
      for (let i = 0; i < DECODE_CACHED; i++) tidy(() => { model.forward(ints([ids[i]]), { kvCache: cache }).dataSync(); });
    });
    cache.dispose();
    out.decodeUncachedTokS = DECODE_UNCACHED / time(() => {
      for (let i = 0; i < DECODE_UNCACHED; i++) tidy(() => { model.forward(ints(ids.slice(0, PREFILL + i + 1))).dataSync(); });
    });
  });
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const childArg = process.argv.indexOf('--child');
  if (childArg >= 0) return child(process.argv[childArg + 1]);
  const rounds = Number(process.argv[2] ?? 3);
  await makeCheckpoint();
  const fileMB = statSync(join(DIR, 'model.safetensors')).size / 2 ** 20;
  const backends = ['js', 'wasm'];
  const runs: Record<string, Record<string, number>[]> = { js: [], wasm: [] };
  for (let r = 0; r < rounds; r++) {
    for (const b of r % 2 === 0 ? backends : [...backends].reverse()) {
      const line = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', b], { encoding: 'utf8', maxBuffer: 1 << 20 });
      runs[b].push(JSON.parse(line.trim().split('\n').at(-1)!));
      console.error(`round ${r + 1} ${b}: ${line.trim()}`);
    }
  }
  console.log(`GPT-2 small shape (124M params), random weights, model.safetensors ${fileMB.toFixed(0)} MiB; median of ${rounds} runs`);
  console.log('| backend | load s | peak RSS MiB (x file) | prefill 128 tok/s | decode tok/s, KV cache | decode tok/s, no cache |');
  console.log('|---|---|---|---|---|---|');
  for (const b of backends) {
    const m = (k: string) => median(runs[b].map((x) => x[k]));
    console.log(`| ${b} | ${m('loadS').toFixed(2)} | ${m('rssMB').toFixed(0)} (${(m('rssMB') / fileMB).toFixed(2)}x) | ${m('prefillTokS').toFixed(1)} | ${m('decodeCachedTokS').toFixed(2)} | ${m('decodeUncachedTokS').toFixed(3)} |`);
  }
}

await main();
