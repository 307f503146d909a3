// Checkpoints written by tools/fixtures/gpt2_parity.py (HF key layout, PyTorch torch.save).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configFromJSON } from '../src/config';
import { gorchToHF, hfToGorch } from '../src/layout';
import { readTorchZip } from '../src/torch_zip';
import { TensorLayoutError } from '../src/errors';
import type { HostTensor } from '../src/host_tensor';

const golden = new URL('./golden/', import.meta.url);
const load = (dir: string) => ({
  cfg: configFromJSON(JSON.parse(readFileSync(new URL(`${dir}/config.json`, golden), 'utf8'))),
  sd: readTorchZip(new Uint8Array(readFileSync(new URL(`${dir}/pytorch_model.bin`, golden))), 'pytorch_model.bin'),
});

describe('hfToGorch / gorchToHF', () => {
  it('GPT-2: transposes the Conv1D weights and drops buffers; round-trips', () => {
    const { cfg, sd } = load('parity-gpt2');
    const m = hfToGorch(sd, cfg, 'pytorch_model.bin');
    expect(m.prefixed).toBe(true);
    expect(m.unused).toEqual([]);
    const conv = sd.get('transformer.h.1.mlp.c_fc.weight')!; // [16, 40] = [in, out]
    const lin = m.tensors.get('h.1.mlp.c_fc.weight')!;
    expect(lin.shape).toEqual([40, 16]);
    expect(lin.data[3 * 16 + 5]).toBe(conv.data[5 * 40 + 3]);
    expect(m.tensors.has('lm_head.weight')).toBe(false);
    const back = gorchToHF(m.tensors, cfg);
    for (const [k, v] of back) expect(v.data, k).toEqual(sd.get(k)!.data);
    expect(back.size).toBe(Array.from(sd.keys()).filter((k) => !/\.attn\.(masked_)?bias$|lm_head/.test(k)).length);
  });

  it('GPT-Neo: stacks q|k|v into c_attn, maps out_proj, keeps the Linear MLP; round-trips', () => {
    const { cfg, sd } = load('parity-gpt-neo');
    const m = hfToGorch(sd, cfg, 'pytorch_model.bin');
    const qkv = m.tensors.get('h.0.attn.c_attn.weight')!;
    expect(qkv.shape).toEqual([48, 16]);
    expect(qkv.data.subarray(256, 512)).toEqual(sd.get('transformer.h.0.attn.attention.k_proj.weight')!.data);
    expect(m.tensors.has('h.0.attn.c_attn.bias')).toBe(false);
    expect(m.tensors.get('h.1.mlp.c_fc.weight')!.data).toEqual(sd.get('transformer.h.1.mlp.c_fc.weight')!.data);
    const back = gorchToHF(m.tensors, cfg);
    for (const [k, v] of back) expect(v.data, k).toEqual(sd.get(k)!.data);
  });

  it('accepts keys without the transformer. prefix', () => {
    const { cfg, sd } = load('parity-gpt2');
    const bare = new Map<string, HostTensor>(Array.from(sd).map(([k, v]) => [k.replace(/^transformer\./, ''), v]));
    const m = hfToGorch(bare, cfg, 'bare');
    expect(m.prefixed).toBe(false);
    expect(m.tensors.get('wte.weight')!.data).toEqual(sd.get('transformer.wte.weight')!.data);
  });

  it('names the key, the expected and the found shape of a missing or mis-shaped tensor', () => {
    const { cfg, sd } = load('parity-gpt2');
    const missing = new Map(sd);
    missing.delete('transformer.h.1.ln_2.bias');
    expect(() => hfToGorch(missing, cfg, 'f.bin')).toThrow(new TensorLayoutError('transformer.h.1.ln_2.bias', [16], null, 'f.bin'));
    const bad = new Map(sd);
    bad.set('transformer.h.0.attn.c_attn.weight', { shape: [48, 16], data: new Float32Array(768) });
    const err = (() => { try { hfToGorch(bad, cfg, 'f.bin'); } catch (e) { return e as TensorLayoutError; } })()!;
    expect(err.code).toBe('E_TENSOR_SHAPE');
    expect(err.message).toBe('f.bin: tensor "transformer.h.0.attn.c_attn.weight" has shape [48, 16], expected [16, 48]');
    const untied = { ...cfg, tieWordEmbeddings: false };
    const noHead = new Map(sd);
    noHead.delete('lm_head.weight');
    expect(() => hfToGorch(noHead, untied, 'f.bin')).toThrow(/"lm_head\.weight" is missing/);
  });
});

describe('a config with fewer layers than the checkpoint', () => {
  const { cfg, sd } = load('parity-gpt2');
  const json = JSON.parse(readFileSync(new URL('parity-gpt2/config.json', golden), 'utf8'));

  it('is refused, listing the parameters of the layers past n_layer (buffers are not listed)', () => {
    const one = configFromJSON({ ...json, n_layer: 1 });
    const err = (() => { try { hfToGorch(sd, one, 'pytorch_model.bin'); } catch (e) { return e; } })() as TensorLayoutError;
    expect(err).toBeInstanceOf(TensorLayoutError);
    expect(err.code).toBe('E_UNEXPECTED_TENSOR');
    const layer1 = [...sd.keys()].filter((k) => k.startsWith('transformer.h.1.') && !/\.attn\.(masked_)?bias$/.test(k));
    expect(layer1.length).toBe(12);
    expect([...err.unexpected].sort()).toEqual(layer1.sort());
    expect(err.message).toMatch(/^pytorch_model\.bin: unexpected tensors transformer\.h\.1\.\S+, .* \(12 keys\): the checkpoint has layers up to h\.1 but the config says n_layer 1/);
  });

  it('other unknown keys stay unused, not an error', () => {
    const extra = new Map(sd);
    extra.set('multiple_choice_head.summary.weight', { shape: [1], data: new Float32Array(1) });
    expect(hfToGorch(extra, cfg, 'x.bin').unused).toEqual(['multiple_choice_head.summary.weight']);
  });
});
