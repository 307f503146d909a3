// GPT-2 weights from past.onnx's initializers against the same model's HF checkpoint
// (../shared/fixtures/tiny-random-gpt2/hf/model.safetensors, rebuilt from that file by the fixtures'
// maker; its README: "All LayerNorm weights of this model are 1 and biases 0, and lm_head is tied").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadONNX, onnxToStateDict, ONNXError } from '../src/index';
import { FIXTURES, HAS_FIXTURES } from './paths';
import { readF32Safetensors } from './safetensors_reader';

describe.skipIf(!HAS_FIXTURES)('onnxToStateDict(past.onnx)', () => {
  const dir = join(FIXTURES, 'tiny-random-gpt2');
  const file = loadONNX(join(dir, 'onnx/past.onnx'));
  const config = JSON.parse(readFileSync(join(dir, 'hf/config.json'), 'utf8'));
  const { tensors, filled, unused } = onnxToStateDict(file, config);
  const hf = readF32Safetensors(join(dir, 'hf/model.safetensors'));

  it('gives exactly the HF checkpoint names, shapes and values', () => {
    expect([...tensors.keys()].sort()).toEqual([...hf.keys()].sort());
    for (const [name, t] of tensors) {
      expect(t.shape, name).toEqual(hf.get(name)!.shape);
      expect(t.data, name).toEqual(hf.get(name)!.data);
    }
  });

  it('fills only the LayerNorm weights and biases the exporter folded away', () => {
    expect(filled.length).toBe(38);
    expect(filled.every((n) => /\.(ln_\d|ln_f)\.(weight|bias)$|\.bias$/.test(n))).toBe(true);
    expect(filled).not.toContain('transformer.h.0.ln_1.weight');
  });

  it("leaves the exporter's transposed lm_head, which equals wte^T (tied)", () => {
    expect(unused).toEqual(['onnx::MatMul_1400']);
    const head = file.tensors.get('onnx::MatMul_1400')!;
    const wte = tensors.get('transformer.wte.weight')!;
    const [C, V] = head.dims;
    const data = head.data as Float32Array;
    for (let v = 0; v < V; v += 97) for (let c = 0; c < C; c++) expect(data[c * V + v]).toBe(wte.data[v * C + c]);
  });

  it('throws naming a weight that is missing or mis-shaped', () => {
    expect(() => onnxToStateDict(file, { ...config, n_layer: 6 })).toThrow(/'transformer.h.5.attn.c_attn.weight' \[32,96\] is not among the initializers/);
    expect(() => onnxToStateDict(file, { ...config, n_embd: 16 })).toThrow(ONNXError);
  });
});
