// Benchmark: gorch JS backend vs @tensorflow/tfjs-backend-cpu, interleaved in one process.
// Run: npx tsx packages/tensor/bench/matmul.ts   (optional arg: number of repetitions)
// Reports medians; GFLOP/s = 2·M·K·N / time. The machine is shared, so compare ratios from the same run.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as g from '../src/index';

const reps = Number(process.argv[2] ?? 7);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => void): number => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  tf.env().set('IS_TEST', true); // silences the tfjs-node advertisement
  console.log(`node ${process.version}, ${reps} interleaved repetitions, medians\n`);
  console.log('| case | gorch js | tfjs-backend-cpu | gorch / tfjs |');
  console.log('|---|---|---|---|');

  for (const n of [256, 512, 1024]) {
    const a = g.randn([n, n]);
    const b = g.randn([n, n]);
    const ta = tf.tensor2d(a.dataSync() as Float32Array, [n, n]);
    const tb = tf.tensor2d(b.dataSync() as Float32Array, [n, n]);
    const G: number[] = [];
    const T: number[] = [];
    const r = n === 1024 ? Math.max(3, Math.ceil(reps / 2)) : reps;
    for (let i = 0; i < r + 1; i++) {
      const tg = time(() => g.matmul(a, b).dispose());
      const tt = time(() => {
        const c = tf.matMul(ta, tb);
        c.dataSync();
        c.dispose();
      });
      if (i > 0) {
        G.push(tg);
        T.push(tt);
      }
    }
    const gf = (ms: number): number => (2 * n ** 3) / ms / 1e6;
    console.log(`| matmul ${n}×${n}×${n} (GFLOP/s) | ${gf(median(G)).toFixed(2)} | ${gf(median(T)).toFixed(2)} | ${(median(T) / median(G)).toFixed(2)}× |`);
    g.dispose([a, b]);
    tf.dispose([ta, tb]);
  }

  // GPT-like MLP stack: per layer h = x + W2·gelu_tanh(W1·layerNorm(x) + b1) + b2, n_embd 768, seq 64.
  const C = 768, T = 64, L = 4;
  const x = g.randn([T, C]);
  const layers = Array.from({ length: L }, () => ({
    w1: g.randn([4 * C, C]).mul(0.02), b1: g.zeros([4 * C]), w2: g.randn([C, 4 * C]).mul(0.02), b2: g.zeros([C]),
    lnw: g.ones([C]), lnb: g.zeros([C]),
  }));
  const gorchForward = (): g.Tensor =>
    g.tidy(() => {
      let h = x;
      for (const p of layers) {
        const u = g.gelu(g.linear(g.layerNorm(h, [C], p.lnw, p.lnb), p.w1, p.b1), { approximate: 'tanh' });
        h = h.add(g.linear(u, p.w2, p.b2));
      }
      return h;
    });
  const tx = tf.tensor2d(x.dataSync() as Float32Array, [T, C]);
  const tl = layers.map((p) => ({
    w1: tf.tensor2d(p.w1.dataSync() as Float32Array, [4 * C, C]), b1: tf.zeros([4 * C]),
    w2: tf.tensor2d(p.w2.dataSync() as Float32Array, [C, 4 * C]), b2: tf.zeros([C]), lnw: tf.ones([C]), lnb: tf.zeros([C]),
  }));
  const tfGelu = (v: tf.Tensor): tf.Tensor =>
    tf.mul(tf.mul(v, 0.5), tf.add(tf.tanh(tf.mul(tf.add(v, tf.mul(tf.pow(v, 3), 0.044715)), Math.sqrt(2 / Math.PI))), 1));
  const tfForward = (): tf.Tensor =>
    tf.tidy(() => {
      let h: tf.Tensor = tx;
      for (const p of tl) {
        const { mean, variance } = tf.moments(h, -1, true);
        const ln = tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), p.lnw), p.lnb);
        const u = tfGelu(tf.add(tf.matMul(ln, p.w1, false, true), p.b1));
        h = tf.add(h, tf.add(tf.matMul(u, p.w2, false, true), p.b2));
      }
      return h;
    });
  // parity check before timing: both libraries compute the same thing
  const ours = gorchForward();
  const theirs = tfForward();
  const d1 = ours.dataSync(), d2 = theirs.dataSync();
  let maxDiff = 0;
  for (let i = 0; i < d1.length; i++) maxDiff = Math.max(maxDiff, Math.abs(d1[i] - d2[i]));
  ours.dispose();
  theirs.dispose();
  const G: number[] = [];
  const TT: number[] = [];
  for (let i = 0; i < reps; i++) {
    G.push(time(() => gorchForward().dispose()));
    TT.push(time(() => {
      const y = tfForward();
      y.dataSync();
      y.dispose();
    }));
  }
  console.log(`| GPT-like MLP forward, ${L} layers, n_embd ${C}, seq ${T} (ms) | ${median(G).toFixed(1)} | ${median(TT).toFixed(1)} | ${(median(TT) / median(G)).toFixed(2)}× |`);
  console.log(`\nmax |gorch − tfjs| on the MLP output: ${maxDiff.toExponential(2)}`);
}

void main();
