// nn.GPT with the weights of ../shared/fixtures/tiny-random-gpt2, read from past.onnx's initializers.
// The HF -> nn name mapping is kept here (io-onnx may not import @gorch/gpt2): drop `transformer.`,
// and transpose the four Conv1D weights [in, out] to Linear's [out, in] (as nanoGPT's from_pretrained).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor, type Tensor } from '@gorch/tensor';
import { GPT } from '@gorch/nn';
import { loadONNX, onnxToStateDict } from '../src/index';
import { FIXTURES } from './paths';

const CONV1D = /\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight$/;

export function tinyGPT2FromONNX(): GPT {
  const dir = join(FIXTURES, 'tiny-random-gpt2');
  const cfg = JSON.parse(readFileSync(join(dir, 'hf/config.json'), 'utf8'));
  const { tensors } = onnxToStateDict(loadONNX(join(dir, 'onnx/past.onnx')), cfg);
  const model = new GPT(
    { vocabSize: cfg.vocab_size, nPositions: cfg.n_positions, nEmbd: cfg.n_embd, nHead: cfg.n_head, nLayer: cfg.n_layer, activation: cfg.activation_function, layerNormEpsilon: cfg.layer_norm_epsilon },
    { init: 'none' },
  ).tieLMHeadToEmbedding();
  const state: Record<string, Tensor> = {};
  for (const [hfName, t] of tensors) {
    const name = hfName.replace(/^transformer\./, '');
    if (CONV1D.test(name)) {
      const [r, c] = t.shape;
      const out = new Float32Array(r * c);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j];
      state[name] = tensor(out, { shape: [c, r] });
    } else {
      state[name] = tensor(t.data, { shape: t.shape });
    }
  }
  state['lm_head.weight'] = state['wte.weight'];
  model.loadStateDict(state);
  return model.eval();
}
