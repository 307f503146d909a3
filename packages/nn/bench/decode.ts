// Greedy decoding speed of GPT with its KV cache, against onnxruntime-node running the same model.
//   npx tsx packages/nn/bench/decode.ts [rounds=5] [tokens=48]
// Model: hf-internal-testing/tiny-random-gpt2 (/work/shared/fixtures/tiny-random-gpt2): its HF
// safetensors weights go into gorch's GPT, its ONNX export (past.onnx, with KV cache) into ORT. The
// two run interleaved in each round; medians over rounds. A GPT-2-small-sized model (random weights)
// then shows the cost of one cached step against recomputing the whole prefix.
import '@gorch/autograd';
import { noGrad } from '@gorch/autograd';
import { argmax, tensor, tidy } from '@gorch/tensor';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { GPT, KVCache } from '../src/index';
import { loadSafetensors } from '../test/hf_gpt2';

const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/tiny-random-gpt2/', import.meta.url));
const rounds = Number(process.argv[2] ?? 5);
const newTokens = Number(process.argv[3] ?? 48);
const prompt = [0, 0, 0, 52];

function gorchDecode(model: GPT, steps: number): { ids: number[]; msPerToken: number } {
  return noGrad(() => {
    const ids = [...prompt];
    using cache = new KVCache(model.config.nLayer);
    let input = tensor(Int32Array.from(prompt), { dtype: 'int32' });
    let t0 = 0;
    for (let s = 0; s < steps; s++) {
      if (s === 1) t0 = performance.now(); // time the one-token steps, not the prompt
      const next = tidy(() => {
        const logits = model.forward(input, { kvCache: cache });
        return argmax(logits.slice(0, logits.shape[0] - 1, logits.shape[0]).reshape([-1])).item();
      });
      input.dispose();
      ids.push(next);
      input = tensor(Int32Array.from([next]), { dtype: 'int32' });
    }
    input.dispose();
    return { ids, msPerToken: (performance.now() - t0) / (steps - 1) };
  });
}

async function ortDecode(session: ort.InferenceSession, nLayer: number, nHead: number, headDim: number, steps: number): Promise<{ ids: number[]; msPerToken: number }> {
  const ids = [...prompt];
  let past: ort.Tensor[] = Array.from({ length: nLayer }, () => new ort.Tensor('float32', new Float32Array(0), [2, 1, nHead, 0, headDim]));
  let input = [...prompt];
  let t0 = 0;
  for (let s = 0; s < steps; s++) {
    if (s === 1) t0 = performance.now();
    const start = ids.length - input.length;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int32', Int32Array.from(input), [1, input.length]),
      position_ids: new ort.Tensor('int32', Int32Array.from(input.map((_, i) => start + i)), [1, input.length]),
      attention_mask: new ort.Tensor('int32', new Int32Array(ids.length).fill(1), [1, ids.length]),
    };
    past.forEach((p, i) => (feeds[`past_${i}`] = p));
    const out = await session.run(feeds);
    const logits = out.logits.data as Float32Array;
    const vocab = out.logits.dims[2];
    const last = logits.subarray((input.length - 1) * vocab, input.length * vocab);
    let best = 0;
    for (let j = 1; j < vocab; j++) if (last[j] > last[best]) best = j;
    ids.push(best);
    past = Array.from({ length: nLayer }, (_, i) => out[`present_${i}`]);
    input = [best];
  }
  return { ids, msPerToken: (performance.now() - t0) / (steps - 1) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function tinyRandomGpt2(): Promise<void> {
  if (!existsSync(fixtures)) {
    console.log(`skip: ${fixtures} is absent`);
    return;
  }
  const hf = JSON.parse(readFileSync(`${fixtures}hf/config.json`, 'utf8'));
  const model = new GPT(
    { vocabSize: hf.vocab_size, nPositions: hf.n_positions, nEmbd: hf.n_embd, nHead: hf.n_head, nLayer: hf.n_layer, activation: hf.activation_function, layerNormEpsilon: hf.layer_norm_epsilon },
    { init: 'none' },
  ).tieLMHeadToEmbedding();
  model.loadStateDict(loadSafetensors(`${fixtures}hf/model.safetensors`), { strict: false });
  model.eval();
  const session = await ort.InferenceSession.create(`${fixtures}onnx/past.onnx`, { intraOpNumThreads: 1 });
  const headDim = hf.n_embd / hf.n_head;
  const g: number[] = [];
  const o: number[] = [];
  gorchDecode(model, newTokens); // JIT warm-up of both sides, not timed
  await ortDecode(session, hf.n_layer, hf.n_head, headDim, newTokens);
  for (let r = 0; r < rounds; r++) {
    const a = gorchDecode(model, newTokens);
    const b = await ortDecode(session, hf.n_layer, hf.n_head, headDim, newTokens);
    if (a.ids.join() !== b.ids.join()) throw new Error(`greedy ids differ: gorch ${a.ids} vs ORT ${b.ids}`);
    g.push(a.msPerToken);
    o.push(b.msPerToken);
  }
  const first10 = gorchDecode(model, 6).ids;
  console.log(`tiny-random-gpt2 (5 layers, n_embd 32), greedy ids [0,0,0,52] -> ${first10.join(',')} (published: 0,0,0,52,204,204,204,204,204,204)`);
  console.log(`  ms per decoded token, median of ${rounds} interleaved rounds x ${newTokens - 1} tokens:`);
  console.log(`  gorch GPT + KVCache (js backend): ${median(g).toFixed(3)}   onnxruntime-node (1 thread): ${median(o).toFixed(3)}   ratio gorch/ORT: ${(median(g) / median(o)).toFixed(2)}`);
}

function gpt2SmallCachedVsFull(): void {
  const cfg = { vocabSize: 50257, nPositions: 1024, nEmbd: 768, nHead: 12, nLayer: 12 };
  const model = new GPT(cfg, { init: 'none' }).tieLMHeadToEmbedding();
  model.eval();
  const context = 36;
  const ctxIds = Int32Array.from({ length: context }, (_, i) => (i * 7919) % cfg.vocabSize);
  const cached: number[] = [];
  const full: number[] = [];
  noGrad(() => {
    using cache = new KVCache(cfg.nLayer);
    tidy(() => void model.forward(tensor(ctxIds.subarray(0, context - 4), { dtype: 'int32' }), { kvCache: cache }));
    for (let r = 0; r < 3; r++) {
      // one new token with a cache of ~60 positions, then the same position recomputed from scratch
      let t0 = performance.now();
      tidy(() => void model.forward(tensor(ctxIds.subarray(context - 4 + r, context - 3 + r), { dtype: 'int32' }), { kvCache: cache }));
      cached.push(performance.now() - t0);
      t0 = performance.now();
      tidy(() => void model.forward(tensor(ctxIds.subarray(0, context - 3 + r), { dtype: 'int32' })));
      full.push(performance.now() - t0);
    }
  });
  console.log(`GPT-2-small shape (12 layers, n_embd 768, vocab 50257), one token after ${context - 4} positions, js backend, median of 3:`);
  console.log(`  with KVCache: ${median(cached).toFixed(1)} ms   recomputing the prefix: ${median(full).toFixed(1)} ms   ratio: ${(median(full) / median(cached)).toFixed(1)}x`);
}

await tinyRandomGpt2();
gpt2SmallCachedVsFull();
