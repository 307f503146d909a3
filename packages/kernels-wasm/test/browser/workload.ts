// The computation that runs both in the browser page (page.ts, bundled by Vite) and in Node inside
// browser.test.ts, so the two can be compared bit for bit. Inputs come from a seeded integer PRNG
// (reference.ts), so they are identical in both engines. Every result is returned as the uint32
// bits of its float32 values: JSON-safe, and exact.
import * as T from '@gorch/tensor';
import { repack, toHalfStorage } from '@gorch/kernels-wasm';
import { randn, rng } from '../reference';

/** One result: its shape and the bits of its float32 values. */
export interface BitsResult { shape: number[]; bits: number[] }

const bitsOf = (t: T.Tensor): BitsResult => {
  const f = Float32Array.from(t.dataSync() as Float32Array);
  return { shape: [...t.shape], bits: Array.from(new Uint32Array(f.buffer)) };
};

/**
 * Runs every case on the active backend and returns the results by name. The `pooled.*` cases are
 * above THREAD_MIN_MACS (src/kernels/matmul.ts), so where a worker pool exists they can run on it.
 */
export function runWorkload(): Record<string, BitsResult> {
  const r = rng(20261130);
  const live: T.Tensor[] = [];
  const t = (n: number, shape: number[], scale = 1): T.Tensor => {
    const x = T.tensor(randn(n, r, scale), { shape });
    live.push(x);
    return x;
  };
  const keep = (x: T.Tensor): T.Tensor => (live.push(x), x);
  const out: Record<string, BitsResult> = {};
  const run = (name: string, f: () => T.Tensor): void => {
    out[name] = bitsOf(keep(f()));
  };

  const a = t(37 * 53, [37, 53]), b = t(53 * 29, [53, 29]);
  run('matmul 37x53 @ 53x29', () => T.matmul(a, b));

  const x = t(5 * 96, [5, 96], 3), gamma = t(96, [96]), beta = t(96, [96]);
  run('layerNorm [5,96]', () => T.layerNorm(x, 96, gamma, beta));
  run('softmax [7,33]', () => T.softmax(t(7 * 33, [7, 33], 8), -1));
  run('gelu [1000]', () => T.gelu(t(1000, [1000], 6)));

  // 1-row Linear over bfloat16 weights, row-major and in 8-row panels (src/c/panels.c).
  const xin = t(200, [1, 200]), W = t(77 * 200, [77, 200], 0.1), bias = t(77, [77]);
  run('linear bf16 rows [1,200]x[77,200]', () => T.linear(xin, keep(toHalfStorage(W, 'bfloat16')), bias));
  run('linear bf16 panels [1,200]x[77,200]', () => T.linear(xin, keep(repack(W, { format: 'bfloat16', layout: 'panels' })), bias));

  // Big enough for the worker pool: gemm 64x512x128 (2^22 MACs), 1-row Linear 768 -> 1024.
  const pa = t(64 * 512, [64, 512]), pb = t(512 * 128, [512, 128], 0.05);
  run('pooled matmul 64x512 @ 512x128', () => T.matmul(pa, pb));
  const px = t(768, [1, 768]), pw = t(1024 * 768, [1024, 768], 0.05), pbias = t(1024, [1024]);
  run('pooled linear f32 [1,768]x[1024,768]', () => T.linear(px, pw, pbias));
  run('pooled linear bf16 panels [1,768]x[1024,768]', () => T.linear(px, keep(repack(pw, { format: 'bfloat16', layout: 'panels' })), pbias));

  for (const z of live) z.dispose();
  return out;
}
