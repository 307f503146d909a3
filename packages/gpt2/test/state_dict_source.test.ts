// loadGPT2 from an in-memory HF state dict: the tiny-random-gpt2 weights read by io-safetensors
// (../shared/fixtures/tiny-random-gpt2/hf/model.safetensors) must give the greedy sequences
// onnxruntime-genai publishes for that model (../shared/fixtures/README.md).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSafetensors } from '@gorch/io-safetensors';
import {
  checkpointFromStateDict, CheckpointError, ConfigError, configFromJSON, configFromPretrained, generate, loadGPT2, loadGPT2Verbose,
  TensorLayoutError, type HostTensor,
} from '../src/index';

const dir = fileURLToPath(new URL('../../../../shared/fixtures/tiny-random-gpt2/hf/', import.meta.url));
const has = existsSync(dir);
if (!has) console.warn(`state dict tests skipped: ${dir} is absent`);

async function stateDict(): Promise<Map<string, HostTensor>> {
  const file = await loadSafetensors(`${dir}model.safetensors`, { toFloat32: true });
  const out = new Map<string, HostTensor>();
  for (const [k, t] of Object.entries(file.tensors)) out.set(k, { shape: [...t.shape], data: t.data as Float32Array });
  return out;
}

describe.skipIf(!has)('loadGPT2(checkpointFromStateDict(...), cfg)', () => {
  const cases: [number[], number[]][] = [
    [[0, 0, 0, 52], [0, 0, 0, 52, 204, 204, 204, 204, 204, 204]],
    [[0, 0, 195, 731], [0, 0, 195, 731, 731, 114, 114, 114, 114, 114]],
  ];

  it('gives the published greedy sequences (total length 10)', async () => {
    const lines: string[] = [];
    const sd = await stateDict();
    const model = await loadGPT2Verbose(checkpointFromStateDict(sd, 'model.safetensors'), configFromPretrained(dir), (l) => lines.push(l));
    for (const [prompt, expected] of cases) expect(generate(model, prompt, 10 - prompt.length)).toEqual(expected);
    // the file holds every parameter once (lm_head is tied, so absent)
    const count = [...sd.values()].reduce((n, t) => n + t.data.length, 0);
    expect(lines).toEqual([`gpt2: 5 layers, n_embd 32, 4 heads, ${count.toLocaleString('en-US')} parameters (model.safetensors)`]);
  });

  it('takes a plain object and keys without the transformer. prefix', async () => {
    const obj: Record<string, HostTensor> = {};
    for (const [k, t] of await stateDict()) obj[k.replace(/^transformer\./, '')] = t;
    const model = await loadGPT2(checkpointFromStateDict(obj, 'bare'), configFromPretrained(dir));
    expect(generate(model, cases[1][0], 6)).toEqual(cases[1][1]);
  });

  it('names the key of a missing, mis-shaped or malformed tensor', async () => {
    const cfg = configFromPretrained(dir);
    const sd = await stateDict();
    const missing = new Map(sd);
    missing.delete('transformer.h.2.mlp.c_fc.weight');
    await expect(loadGPT2(checkpointFromStateDict(missing, 'sd'), cfg)).rejects.toThrow(new TensorLayoutError('transformer.h.2.mlp.c_fc.weight', [32, 128], null, 'sd'));

    const wrong = new Map(sd).set('transformer.wpe.weight', { shape: [511, 32], data: new Float32Array(511 * 32) });
    await expect(loadGPT2(checkpointFromStateDict(wrong, 'sd'), cfg)).rejects.toMatchObject({ code: 'E_TENSOR_SHAPE', key: 'transformer.wpe.weight' });

    const short = new Map(sd).set('transformer.ln_f.bias', { shape: [32], data: new Float32Array(31) });
    expect(() => checkpointFromStateDict(short, 'sd')).toThrow(CheckpointError);
    expect(() => checkpointFromStateDict(short, 'sd')).toThrow(/"transformer\.ln_f\.bias" has shape \[32\] \(32 elements\) but 31 values/);

    const f64 = { 'transformer.wte.weight': { shape: [1], data: new Float64Array(1) } as unknown as HostTensor };
    expect(() => checkpointFromStateDict(f64, 'sd')).toThrow(/"transformer\.wte\.weight" data must be a Float32Array or an Int32Array/);

    const ints = new Map(sd).set('transformer.ln_f.weight', { shape: [32], data: new Int32Array(32) });
    await expect(loadGPT2(checkpointFromStateDict(ints, 'sd'), cfg)).rejects.toThrow(/sd: tensor "transformer\.ln_f\.weight" has an integer dtype/);
  });

  it('refuses a config.json-style object as cfg, naming the missing fields (not a shape error)', async () => {
    const load = loadGPT2 as (src: unknown, cfg?: unknown) => Promise<unknown>;
    const hfConfig = { n_embd: 32, n_head: 4, n_layer: 5, vocab_size: 1000, n_positions: 512 };
    const err = await load(checkpointFromStateDict(await stateDict(), 'sd'), hfConfig).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'E_CONFIG' });
    expect((err as Error).message).toBe(
      'loadGPT2: cfg: missing modelType, vocabSize, nEmbd, nHead, nLayer, nPositions, nInner, windowSize, layerNormEpsilon, activation, '
      + 'scaleAttnWeights, attentionLayers, qkvBias, tieWordEmbeddings (it has the Hugging Face config.json fields vocab_size, n_embd, '
      + 'n_head, n_layer, n_positions: convert such an object with configFromJSON(json))',
    );
    // a path with a cfg is checked too, before any file is opened
    await expect(load(dir, { ...configFromPretrained(dir), nEmbd: undefined })).rejects.toThrow(/^loadGPT2: cfg: missing nEmbd$/);
    await expect(load(dir, { ...configFromPretrained(dir), vocabSize: 0 })).rejects.toThrow('loadGPT2: cfg: vocabSize must be a positive integer, got 0');
    // what the message points to works
    const model = await loadGPT2(checkpointFromStateDict(await stateDict(), 'sd'), configFromJSON({ model_type: 'gpt2', ...hfConfig }));
    expect(generate(model, cases[1][0], 6)).toEqual(cases[1][1]);
  });

  it('needs a config with a CheckpointSource', async () => {
    const load = loadGPT2 as (src: unknown, cfg?: unknown) => Promise<unknown>;
    await expect(load(checkpointFromStateDict(await stateDict(), 'sd'))).rejects.toThrow(ConfigError);
  });
});
