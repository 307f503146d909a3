// Training-step benchmark: forward + backward of a 2-layer MLP with softmax cross-entropy, gorch
// (@gorch/autograd on the 'js' backend) vs the peer tfjs-core (`tf.variableGrads`, 'cpu' backend), both
// in float32, interleaved in one process and repeated; reports medians and the ratio.
// Run: node packages/autograd/bench/run.mjs   (bundles this file with esbuild, then runs it)
import * as g from '@gorch/tensor';
import { noGrad } from '@gorch/autograd';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's gradients live in an ESM-only side-effect module (the @tensorflow/tfjs umbrella imports it);
// run.mjs bundles this file with esbuild so that module resolves.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';

const B = 64, D = 256, H = 256, C = 10;
const ROUNDS = 7, STEPS = 5;

function randn(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.2;
  }
  return out;
}
const xs = randn(B * D, 1), w1 = randn(H * D, 2), w2 = randn(C * H, 3), b1 = randn(H, 4), b2 = randn(C, 5);
const target = new Float32Array(B * C);
for (let i = 0; i < B; i++) target[i * C + (i % C)] = 1;

// gorch: weights [out, in] as torch's nn.Linear.
const gx = g.tensor(xs, { shape: [B, D] }), gt = g.tensor(target, { shape: [B, C] });
const gp = [g.tensor(w1, { shape: [H, D] }), g.tensor(b1), g.tensor(w2, { shape: [C, H] }), g.tensor(b2)];
for (const p of gp) p.requiresGrad = true;
function gorchStep(): void {
  g.tidy(() => {
    const h = g.gelu(g.linear(gx, gp[0], gp[1]), { approximate: 'tanh' });
    const loss = g.neg(g.mean(g.sum(g.mul(g.logSoftmax(g.linear(h, gp[2], gp[3]), -1), gt), -1)));
    loss.backward();
  });
  for (const p of gp) {
    p.grad!.dispose();
    p.grad = null;
  }
}

function gorchForward(): void {
  g.tidy(() => {
    noGrad(() => {
      const h = g.gelu(g.linear(gx, gp[0], gp[1]), { approximate: 'tanh' });
      g.neg(g.mean(g.sum(g.mul(g.logSoftmax(g.linear(h, gp[2], gp[3]), -1), gt), -1)));
    });
  });
}

// tfjs: weights stored [in, out] for matMul; same math (tanh-GELU written out, tfjs has no gelu op).
await tf.setBackend('cpu');
const tx = tf.tensor2d(xs, [B, D]), tt = tf.tensor2d(target, [B, C]);
const tw1 = tf.variable(tf.transpose(tf.tensor2d(w1, [H, D]))), tb1 = tf.variable(tf.tensor1d(b1));
const tw2 = tf.variable(tf.transpose(tf.tensor2d(w2, [C, H]))), tb2 = tf.variable(tf.tensor1d(b2));
function tfGelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}
function tfStep(): void {
  const { grads, value } = tf.variableGrads(() => {
    const h = tfGelu(tf.add(tf.matMul(tx, tw1), tb1));
    const logits = tf.add(tf.matMul(h, tw2), tb2);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits, -1), tt), -1))) as tf.Scalar;
  });
  value.dispose();
  tf.dispose(grads);
}

const time = (fn: () => void): number => {
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) fn();
  return (performance.now() - t0) / STEPS;
};
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

time(gorchStep); time(tfStep); // warm-up
const gorchMs: number[] = [], tfMs: number[] = [], fwdMs: number[] = [];
const tensorsBefore = g.numTensors();
for (let r = 0; r < ROUNDS; r++) {
  gorchMs.push(time(gorchStep));
  tfMs.push(time(tfStep));
  fwdMs.push(time(gorchForward));
}
console.log(`MLP ${B}x${D} -> ${H} -> ${C}, forward+backward, median of ${ROUNDS} rounds x ${STEPS} steps`);
console.log(`gorch (js backend):  ${median(gorchMs).toFixed(2)} ms/step`);
console.log(`tfjs-core (cpu):     ${median(tfMs).toFixed(2)} ms/step`);
console.log(`gorch forward only:  ${median(fwdMs).toFixed(2)} ms/step (no recording)`);
console.log(`ratio gorch/tfjs:    ${(median(gorchMs) / median(tfMs)).toFixed(2)}`);
console.log(`gorch live tensors before/after the timed steps: ${tensorsBefore}/${g.numTensors()}`);
