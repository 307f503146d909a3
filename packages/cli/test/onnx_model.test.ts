// A GPT-2 loaded from an ONNX export's initializers (../shared/fixtures/tiny-random-gpt2/onnx/past.onnx)
// must give the greedy sequences onnxruntime-genai publishes for that model
// (../shared/fixtures/README.md), and `gorch generate` on it must print what it prints on the same
// weights as a Hugging Face folder (tiny-random-gpt2/hf, rebuilt losslessly from past.onnx).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configFromPretrained, generate, generateWithConfig, greedyConfig } from '@gorch/gpt2';
import { loadONNXGPT2, onnxModelConfig } from '../src/index';
import { fixtures, runCli } from './run_cli';

const onnx = fileURLToPath(new URL('tiny-random-gpt2/onnx/past.onnx', fixtures));
const hf = fileURLToPath(new URL('tiny-random-gpt2/hf', fixtures));
const has = existsSync(onnx) && existsSync(hf);
if (!has) console.warn(`ONNX model tests skipped: ${onnx} or ${hf} is absent`);

describe.skipIf(!has)('GPT-2 from past.onnx initializers', () => {
  const cases: [number[], number[]][] = [
    [[0, 0, 0, 52], [0, 0, 0, 52, 204, 204, 204, 204, 204, 204]],
    [[0, 0, 195, 731], [0, 0, 195, 731, 731, 114, 114, 114, 114, 114]],
  ];

  it('reads the architecture from the genai-style config.json beside it, as the HF config has it', () => {
    expect(onnxModelConfig(onnx)).toEqual(configFromPretrained(hf));
  });

  it('gives the published greedy sequences (total length 10), with and without the KV cache', async () => {
    const lines: string[] = [];
    const model = await loadONNXGPT2(onnx, undefined, (l) => lines.push(l));
    for (const [prompt, expected] of cases) {
      expect(generate(model, prompt, 10 - prompt.length)).toEqual(expected);
      expect(generateWithConfig(model, prompt, { ...greedyConfig(10 - prompt.length), useKVCache: false })).toEqual(expected);
    }
    // 38 = the LayerNorm / bias tensors io-onnx's state_dict test finds folded away in this file
    expect(lines[0]).toBe('past.onnx: 38 tensors the exporter folded away set to ones (LayerNorm weights) / zeros (biases)');
    expect(lines[1]).toMatch(/^gpt2: 5 layers, n_embd 32, 4 heads, [\d,]+ parameters \(past\.onnx\)$/);
  });
});

describe.skipIf(!has)('gorch generate --model <file>.onnx', () => {
  it('prints the same text as the HF folder of the same weights', async () => {
    const args = ['--prompt', 'Hello, my dog is', '-n', '12'];
    const fromONNX = await runCli('generate', '--model', onnx, '--tokenizer', hf, ...args);
    const fromHF = await runCli('generate', '--model', hf, ...args);
    expect(fromONNX.code, fromONNX.stderr).toBe(0);
    expect(fromHF.code, fromHF.stderr).toBe(0);
    expect(fromONNX.stdout.startsWith('Hello, my dog is')).toBe(true);
    expect(fromONNX.stdout.length).toBeGreaterThan('Hello, my dog is\n'.length);
    expect(fromONNX.stdout).toBe(fromHF.stdout);
    expect(fromONNX.stderr).toMatch(/\(past\.onnx; weights float32 rows\)/);
  });

  it('asks for --tokenizer when the ONNX folder has no tokenizer, and rejects a missing folder', async () => {
    const none = await runCli('generate', '--model', onnx, '-n', '1');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--tokenizer');
    const bad = await runCli('generate', '--model', onnx, '--tokenizer', 'no/such/dir', '-n', '1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--tokenizer "no/such/dir"');
    const missing = await runCli('generate', '--model', 'no/such/model.onnx');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such/model.onnx');
  });

  it('tokenize takes --tokenizer too', async () => {
    const a = await runCli('tokenize', '--model', onnx, '--tokenizer', hf, '--json', 'Hello world');
    const b = await runCli('tokenize', '--model', hf, '--json', 'Hello world');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});
