// Throughput, cold load time and heap of @gorch/tokenizer beside the other JS GPT-2 tokenizers, in
// one run on one machine. Run from the repo root after building:
//   npx nx run tokenizer:build && npx tsx packages/tokenizer/bench/tokenizer.bench.ts [rounds]
// Encode rounds interleave the libraries (the machine is shared and noisy) and report medians;
// load time and heap come from a fresh `node` process per library per round.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { mobyDickSections, sotuSpeeches } from './corpora';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = `${root}../shared/fixtures/gpt2-tokenizer/`;
const dist = `${root}packages/tokenizer/dist/gpt2.js`;
if (!existsSync(dist)) throw new Error('build first: npx nx run tokenizer:build');
const rounds = Number(process.argv[2] ?? 7);

type Encode = (text: string) => ArrayLike<number>;

// Each entry is JS source run in a fresh process (load timing) and here (throughput); it must
// leave an `encode` function behind. `F` is the fixtures folder, `D` our dist entry.
const libraries: Record<string, string> = {
  '@gorch/tokenizer': `const t = await (await import(D)).loadGPT2Tokenizer(); encode = (s) => t.encode(s);`,
  'gpt-tokenizer': `const m = await import('gpt-tokenizer/encoding/r50k_base'); encode = (s) => m.encode(s);`,
  'js-tiktoken': `const { getEncoding } = await import('js-tiktoken'); const e = getEncoding('gpt2'); encode = (s) => e.encode(s);`,
  '@huggingface/tokenizers': `const { Tokenizer } = await import('@huggingface/tokenizers'); const fs = await import('node:fs');
    const t = new Tokenizer(JSON.parse(fs.readFileSync(F + 'tokenizer.json', 'utf8')), JSON.parse(fs.readFileSync(F + 'tokenizer_config.json', 'utf8')));
    encode = (s) => t.encode(s, { add_special_tokens: false }).ids;`,
  // gpt-3-encoder's time grows quadratically with input length (200 KB takes ~30 s), so it is
  // given the corpus in chunks of at most 2,000 characters, cut before a space.
  'gpt-3-encoder': `const { createRequire } = await import('node:module'); const m = createRequire(process.cwd() + '/')('gpt-3-encoder');
    encode = (s) => { const out = []; for (let i = 0; i < s.length; ) { let j = Math.min(s.length, i + 2000); if (j < s.length) { const k = s.lastIndexOf(' ', j); if (k > i) j = k; }
      for (const id of m.encode(s.slice(i, j))) out.push(id); i = j; } return out; };`,
};

function coldLoad(name: string): { ms: number; heapMB: number } {
  const script = `let encode; const F = ${JSON.stringify(fixtures)}; const D = ${JSON.stringify(dist)};
    const mem = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
    globalThis.gc(); const h0 = mem(); const t0 = performance.now();
    ${libraries[name]}
    encode('hello world');
    const ms = performance.now() - t0; globalThis.gc();
    console.log(JSON.stringify({ ms, heapMB: (mem() - h0) / 2 ** 20 }));`;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function loadHere(name: string): Promise<Encode> {
  const F = fixtures;
  const D = dist;
  const require = createRequire(root);
  const body = libraries[name]!.replace(/createRequire\(process\.cwd\(\) \+ '\/'\)/, 'require');
  const make = new Function('F', 'D', 'require', `return (async () => { let encode; ${body.replace(/const \{ createRequire \} = await import\('node:module'\); /, '')} return encode; })();`);
  return make(F, D, require);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const corpora = { 'Moby Dick': mobyDickSections().join('\n'), SOTU: sotuSpeeches().join('\n') };
  const names = Object.keys(libraries);
  const encoders = new Map<string, Encode>();
  for (const n of names) encoders.set(n, await loadHere(n));
  const reference = new Map<string, number>();
  for (const [c, text] of Object.entries(corpora)) reference.set(c, encoders.get('js-tiktoken')!(text).length);
  const times = new Map<string, number[]>();
  const counts = new Map<string, number>();
  for (const [c, text] of Object.entries(corpora)) {
    for (const n of names) counts.set(`${n}|${c}`, encoders.get(n)!(text).length); // warm-up + count check
  }
  for (let r = 0; r < rounds; r++) {
    for (const [c, text] of Object.entries(corpora)) {
      for (const n of r % 2 ? [...names].reverse() : names) {
        if (r > 0 && n === 'gpt-3-encoder') continue; // ~100× slower than the rest: one timed round
        const t0 = performance.now();
        encoders.get(n)!(text);
        const ms = performance.now() - t0;
        times.set(`${n}|${c}`, [...(times.get(`${n}|${c}`) ?? []), ms]);
      }
    }
  }
  const loads = new Map<string, { ms: number; heapMB: number }[]>();
  for (let r = 0; r < Math.max(3, Math.ceil(rounds / 2)); r++) {
    for (const n of names) loads.set(n, [...(loads.get(n) ?? []), coldLoad(n)]);
  }
  const bytes = Object.fromEntries(Object.entries(corpora).map(([c, text]) => [c, Buffer.byteLength(text)]));
  console.log(`node ${process.version}; ${rounds} interleaved rounds, medians; corpora: ` +
    Object.entries(corpora).map(([c]) => `${c} ${(bytes[c]! / 1e6).toFixed(2)} MB, ${reference.get(c)} tokens`).join('; ') + '\n');
  console.log('| library | Moby Dick MB/s | Moby Dick Mtok/s | SOTU MB/s | SOTU Mtok/s | cold load ms | memory after load MB (heap + ArrayBuffers) | ids = js-tiktoken |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const n of names) {
    const cells: string[] = [];
    for (const c of Object.keys(corpora)) {
      const s = median(times.get(`${n}|${c}`)!) / 1000;
      cells.push((bytes[c]! / 1e6 / s).toFixed(1), (reference.get(c)! / 1e6 / s).toFixed(2));
    }
    const l = loads.get(n)!;
    const same = Object.keys(corpora).every((c) => counts.get(`${n}|${c}`) === reference.get(c));
    console.log(`| ${n} | ${cells.join(' | ')} | ${median(l.map((x) => x.ms)).toFixed(1)} | ${median(l.map((x) => x.heapMB)).toFixed(1)} | ${same ? 'yes' : 'no (count differs)'} |`);
  }
}

await main();

