// Benchmark: npx tsx packages/io-safetensors/bench/safetensors.ts [reps=5]
// Generates a GPT-2-small-shaped F32 file (124M parameters, ~498 MB) under bench/.data/, then, in
// fresh child processes interleaved round-robin, measures: raw fs.readFileSync (the peer), full
// loadSafetensors, parseSafetensors over readFileSync, header-only read, and one lazy tensor read.
// Peak RSS = the child's process.resourceUsage().maxRSS minus the median maxRSS of an empty child
// (same runner, same imports), reported as a multiple of the file size. Write time is measured in
// this process (saveSafetensors with and without fsync vs fs.writeFileSync of a same-size buffer).
// The file is deleted at the end.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { saveSafetensors, serializeSafetensors, type TensorInput } from '../src/index.js';

const reps = Number(process.argv[2] ?? 5);
const here = fileURLToPath(new URL('.', import.meta.url));
const dataDir = join(here, '.data');
mkdirSync(dataDir, { recursive: true });
const file = join(dataDir, 'gpt2-small.safetensors');

function gpt2Small(): Map<string, TensorInput> {
  const E = 768, V = 50257, P = 1024, L = 12;
  const shapes: [string, number[]][] = [['wte.weight', [V, E]], ['wpe.weight', [P, E]], ['ln_f.weight', [E]], ['ln_f.bias', [E]]];
  for (let l = 0; l < L; l++) {
    const h = `h.${l}.`;
    shapes.push([h + 'ln_1.weight', [E]], [h + 'ln_1.bias', [E]], [h + 'attn.c_attn.weight', [E, 3 * E]], [h + 'attn.c_attn.bias', [3 * E]],
      [h + 'attn.c_proj.weight', [E, E]], [h + 'attn.c_proj.bias', [E]], [h + 'ln_2.weight', [E]], [h + 'ln_2.bias', [E]],
      [h + 'mlp.c_fc.weight', [E, 4 * E]], [h + 'mlp.c_fc.bias', [4 * E]], [h + 'mlp.c_proj.weight', [4 * E, E]], [h + 'mlp.c_proj.bias', [E]]);
  }
  const m = new Map<string, TensorInput>();
  let seed = 1;
  for (const [name, shape] of shapes) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.04;
    m.set(name, { dtype: 'F32', shape, data });
  }
  return m;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number, d = 1) => x.toFixed(d);

console.log('generating a GPT-2-small-shaped F32 file...');
let tensors: Map<string, TensorInput> | undefined = gpt2Small();
const writes: Record<string, number[]> = { 'saveSafetensors (fsync)': [], 'saveSafetensors (no fsync)': [], 'fs.writeFileSync (peer, no fsync)': [] };
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  await saveSafetensors(file, tensors, { format: 'pt' });
  writes['saveSafetensors (fsync)']!.push(performance.now() - t);
  t = performance.now();
  await saveSafetensors(file, tensors, { format: 'pt' }, { fsync: false });
  writes['saveSafetensors (no fsync)']!.push(performance.now() - t);
  const bytes = serializeSafetensors(tensors, { format: 'pt' });
  t = performance.now();
  writeFileSync(file + '.peer', bytes);
  writes['fs.writeFileSync (peer, no fsync)']!.push(performance.now() - t);
  rmSync(file + '.peer');
}
tensors = undefined;
const size = statSync(file).size;
console.log(`file: ${(size / 1e6).toFixed(1)} MB, 148 tensors\n`);

const modes = ['empty', 'readFileSync', 'load', 'parse', 'header', 'lazy'];
const runs: Record<string, { ms: number; rss: number; bytesRead?: number }[]> = Object.fromEntries(modes.map((m) => [m, []]));
const tsx = join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');
for (let r = 0; r < reps; r++) {
  for (const mode of modes) {
    const out = execFileSync(tsx, [join(here, 'child.ts'), mode, file, 'h.5.mlp.c_fc.weight'], { encoding: 'utf8' });
    const j = JSON.parse(out.trim().split('\n').at(-1)!);
    runs[mode]!.push({ ms: j.ms, rss: j.maxRssBytes, bytesRead: j.bytesRead });
  }
}
const base = median(runs.empty!.map((x) => x.rss));
const row = (mode: string) => {
  const ms = median(runs[mode]!.map((x) => x.ms));
  const rss = median(runs[mode]!.map((x) => x.rss)) - base;
  return { ms, rss, x: rss / size };
};
const peer = row('readFileSync');
console.log(`reps: ${reps} (medians; child processes interleaved round-robin); empty-process baseline maxRSS ${fmt(base / 1e6)} MB`);
console.log('| operation | time (ms) | time / readFileSync | peak RSS − baseline (MB) | × file size |');
console.log('|---|---|---|---|---|');
for (const mode of ['readFileSync', 'load', 'parse', 'header', 'lazy']) {
  const r = row(mode);
  console.log(`| ${mode} | ${fmt(r.ms)} | ${fmt(r.ms / peer.ms, 2)} | ${fmt(r.rss / 1e6)} | ${fmt(r.x, 3)} |`);
}
const lazy = runs.lazy![0]!;
const tensorBytes = 768 * 3072 * 4;
console.log(`\nlazy get('h.5.mlp.c_fc.weight'): read ${lazy.bytesRead} bytes = header + ${tensorBytes} tensor bytes (${lazy.bytesRead! - tensorBytes} header bytes)`);
console.log('\n| write (3 reps, median) | ms |\n|---|---|');
for (const [k, v] of Object.entries(writes)) console.log(`| ${k} | ${fmt(median(v))} |`);
rmSync(file, { force: true });
