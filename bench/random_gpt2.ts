// The random GPT-2-small-shaped weights the GPT-2 benchmarks load (bench/gpt2.ts, bench/gpt2_dtype.ts):
// N(0, 0.02) matrices and embeddings, LayerNorm weights 1, biases 0, from a fixed seed, in HF layout
// (Conv1D [in, out]), ready for a safetensors file.
import { gorchParamSpecs, gorchToHF, type GPT2Config, type HostTensor } from '@gorch/gpt2';
import { Generator } from '@gorch/tensor';

/** HF state_dict (name → float32 host tensor) of a randomly initialised GPT-2 with config `cfg`. */
export function randomGPT2State(cfg: GPT2Config, seed = 1234): Map<string, HostTensor> {
  const g = new Generator(seed);
  const state = new Map<string, HostTensor>();
  for (const { name, shape } of gorchParamSpecs(cfg)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (/ln_(1|2|f)\.weight$/.test(name)) data.fill(1);
    else if (!name.endsWith('.bias')) for (let i = 0; i < data.length; i++) data[i] = 0.02 * g.normal();
    state.set(name, { shape, data });
  }
  return gorchToHF(state, cfg);
}
