// One kernel vs the composition it replaced, on 'js' and 'wasm', interleaved round by round, medians:
//  - a GPT-2-small decoding step of attention (12 heads × 64, one query, cache Tk), fused
//    `scaledDotProductAttention` vs matmul → scale → maskedFill → softmax → matmul (nn before the kernel);
//  - conv2d, the Conv2D kernel vs Im2Col + batched matmul + bias add (tensor before the kernel).
//   npx tsx --tsconfig bench/kernels/tsconfig.json packages/kernels-wasm/bench/fused.ts [--rounds 7]
import * as T from '@gorch/tensor';
import { initWasmBackend } from '@gorch/kernels-wasm';

const args = process.argv.slice(2);
const ROUNDS = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 7;

function composedAttention(q: T.Tensor, k: T.Tensor, v: T.Tensor): T.Tensor {
  const tq = q.shape[2], tk = k.shape[2];
  const scores = T.matmul(q, T.transpose(k, -2, -1)).mul(1 / Math.sqrt(q.shape[3]));
  const masked = T.maskedFill(scores, T.attentionMask(tq, tk, { causal: true }), -3.4028234663852886e38);
  return T.matmul(T.softmax(masked, -1), v);
}

function composedConv(x: T.Tensor, w: T.Tensor, b: T.Tensor, padding: number): T.Tensor {
  const [N] = x.shape;
  const [O, C, kh, kw] = w.shape;
  const cols = T.im2col(x, [kh, kw], { padding });
  const L = cols.shape[2];
  const y = T.matmul(T.reshape(w, [1, O, C * kh * kw]), T.reshape(cols, [N, 1, C * kh * kw, L]));
  const side = Math.round(Math.sqrt(L));
  return T.add(T.reshape(y, [N, O, side, side]), T.reshape(b, [O, 1, 1]));
}

/** Median milliseconds of `fn` (each sample repeats it until ≥ 20 ms have passed). */
function time(fn: () => void): number {
  const t0 = performance.now();
  let n = 0;
  do {
    T.tidy(() => {
      fn();
    });
    n++;
  } while (performance.now() - t0 < 20);
  return (performance.now() - t0) / n;
}

await initWasmBackend();
type Case = { name: string; make: () => T.Tensor[]; fused: (xs: T.Tensor[]) => T.Tensor; composed: (xs: T.Tensor[]) => T.Tensor };
const cases: Case[] = [];
for (const tk of [32, 256, 1024]) {
  cases.push({
    name: `attention decode H12 D64 Tk=${tk}`,
    make: () => [T.randn([1, 12, 1, 64]), T.randn([1, 12, tk, 64]), T.randn([1, 12, tk, 64])],
    fused: ([q, k, v]) => T.scaledDotProductAttention(q, k, v, { causal: true }),
    composed: ([q, k, v]) => composedAttention(q, k, v),
  });
}
cases.push({
  name: 'attention prefill H12 D64 T=128',
  make: () => [T.randn([1, 12, 128, 64]), T.randn([1, 12, 128, 64]), T.randn([1, 12, 128, 64])],
  fused: ([q, k, v]) => T.scaledDotProductAttention(q, k, v, { causal: true }),
  composed: ([q, k, v]) => composedAttention(q, k, v),
});
cases.push({
  name: 'conv2d N8 C16→32 28×28 k3 p1',
  make: () => [T.randn([8, 16, 28, 28]), T.randn([32, 16, 3, 3]), T.randn([32])],
  fused: ([x, w, b]) => T.conv2d(x, w, b, { padding: 1 }),
  composed: ([x, w, b]) => composedConv(x, w, b, 1),
});

console.log(`median ms per call over ${ROUNDS} interleaved rounds (ratio = composed / fused: > 1 means the kernel is faster)`);
console.log('| case | backend | fused | composed | ratio |\n|---|---|---|---|---|');
for (const c of cases) {
  for (const be of ['wasm', 'js']) {
    T.setBackend(be);
    const xs = c.make();
    const a: number[] = [], b: number[] = [];
    time(() => c.fused(xs));
    time(() => c.composed(xs));
    for (let r = 0; r < ROUNDS; r++) {
      a.push(time(() => c.fused(xs)));
      b.push(time(() => c.composed(xs)));
    }
    const med = (s: number[]) => s.sort((x, y) => x - y)[s.length >> 1];
    console.log(`| ${c.name} | ${be} | ${med(a).toFixed(3)} | ${med(b).toFixed(3)} | ${(med(b) / med(a)).toFixed(2)}× |`);
    T.dispose(xs);
  }
}
