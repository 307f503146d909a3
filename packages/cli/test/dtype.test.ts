// `--dtype` and weightStorage on BF16 / F16 checkpoints of ../shared/fixtures/tiny-random-gpt2, against
// PyTorch computing in float32 from those half weights (`model.float()`). Checkpoints and goldens:
// tools/fixtures/gpt2_half_checkpoints.py (packages/gpt2/test/golden/tiny-random-gpt2-{bf16,f16},
// packages/gpt2/test/golden/gpt2_half.json, test/golden/generate_half.json).
import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noGrad } from '@gorch/autograd';
import { generateWithConfig, greedyConfig, loadGPT2, type GPT2LMHeadModel, type LoadGPT2Options, type WeightInfo } from '@gorch/gpt2';
import { initWasmBackend, storageFormat, storageLayout } from '@gorch/kernels-wasm';
import { getBackend, setBackend, tensor, tidy } from '@gorch/tensor';
import { weightStorage } from '../src/index';
import { fixtures, runCli } from './run_cli';

type Half = 'bfloat16' | 'float16';
interface CliGolden { prompt: string; max_new_tokens: number; dtypes: Record<Half, { dir: string; ids: number[]; text: string }> }
interface Case { prompt: number[]; ids: number[]; logit_rows: number[]; logits: number[][] }
interface Gpt2Golden { dtypes: Record<Half, { cases: Case[] }> }

const repo = new URL('../../../', import.meta.url);
const cliGolden: CliGolden = JSON.parse(readFileSync(new URL('golden/generate_half.json', import.meta.url), 'utf8'));
const gpt2Golden: Gpt2Golden = JSON.parse(readFileSync(new URL('packages/gpt2/test/golden/gpt2_half.json', repo), 'utf8'));
const dirOf = (d: Half) => fileURLToPath(new URL(cliGolden.dtypes[d].dir, repo));
const tokenizer = fileURLToPath(new URL('tiny-random-gpt2/hf', fixtures));
const hasTokenizer = existsSync(tokenizer);
if (!hasTokenizer) console.warn(`gorch generate --dtype text tests skipped: ${tokenizer} is absent`);
// wasm computes in float32 from exactly widened weights, with its own exp/tanh and summation order
// (measured below 2e-7; every logit of this model is below 1, greedy choices were >= 1.1e-3 from a tie)
const TOL = 1e-5;

const MATRICES = /^(wte\.weight|h\.\d+\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight)$/;

function logitRows(model: GPT2LMHeadModel, ids: number[], rows: number[]): Float32Array[] {
  return noGrad(() => {
    const logits = tidy(() => model.forward(tensor(Int32Array.from(ids), { shape: [ids.length], dtype: 'int32' })));
    const all = logits.dataSync() as Float32Array;
    logits.dispose();
    return rows.map((r) => all.slice(r * 1000, (r + 1) * 1000));
  });
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.each(['bfloat16', 'float16'] as const)('weightStorage("auto", "wasm") on the %s checkpoint', (dtype) => {
  it.each(['model.safetensors', 'pytorch_model.bin'])('%s: matrices stay half-width in panels, the heap holds only them and float32 vectors, logits and greedy ids match torch', async (file) => {
    await initWasmBackend();
    const base = getBackend().memory().numBytes;
    const storage = weightStorage('auto', 'wasm');
    // wrapped to watch the heap as each weight arrives: stored so far + the float32 tensor in hand, nothing more
    let stored = 0;
    const over: number[] = [];
    const options: LoadGPT2Options = {
      ...storage,
      onWeight: (name, t, info) => {
        over.push(getBackend().memory().numBytes - base - stored - 4 * t.size);
        const out = storage.onWeight!(name, t, info);
        stored += (MATRICES.test(name) ? 2 : 4) * t.size;
        return out;
      },
    };
    const model = await loadGPT2(join(dirOf(dtype), file), undefined, options);
    expect(over.every((b) => b === 0), `heap beyond stored + one tensor: ${over}`).toBe(true);
    let halfBytes = 0;
    let floatBytes = 0;
    for (const [name, p] of model.namedParameters()) {
      if (MATRICES.test(name)) {
        expect([storageFormat(p), storageLayout(p)], name).toEqual([dtype, 'panels']);
        halfBytes += 2 * p.size;
      } else {
        expect([storageFormat(p), storageLayout(p)], name).toEqual(['float32', 'rows']);
        floatBytes += 4 * p.size;
      }
    }
    expect(getBackend().memory().numBytes - base).toBe(halfBytes + floatBytes);
    // the matrices are 83 % of this model's parameters: 0.58 of its float32 bytes
    expect((halfBytes + floatBytes) / (4 * model.numParameters())).toBeCloseTo(0.58, 2);
    expect(storage.storage).toBeTypeOf('function');
    expect((storage.storage as () => string)()).toBe(`weights ${dtype} panels`);

    for (const c of gpt2Golden.dtypes[dtype].cases) {
      logitRows(model, c.ids, c.logit_rows).forEach((row, i) => expect(maxAbsDiff(row, c.logits[i]), `row ${c.logit_rows[i]}`).toBeLessThan(TOL));
      const n = c.ids.length - c.prompt.length;
      for (const useKVCache of [true, false]) expect(generateWithConfig(model, c.prompt, { ...greedyConfig(n), useKVCache }), `KV cache ${useKVCache}`).toEqual(c.ids);
    }
    for (const p of model.parameters()) p.dispose();
    expect(getBackend().memory().numBytes).toBe(base);
  });
});

describe.skipIf(!hasTokenizer)('weightStorage', () => {
  it('float32 / float16 / bfloat16 convert every matrix whatever the checkpoint (float32 in rows); js keeps float32 rows and refuses half dtypes', async () => {
    await initWasmBackend();
    for (const [dtype, layout] of [['float32', 'rows'], ['float16', 'panels'], ['bfloat16', 'panels']] as const) {
      const storage = weightStorage(dtype, 'wasm');
      const model = await loadGPT2(dirOf('bfloat16'), undefined, storage);
      for (const name of ['h.2.mlp.c_fc.weight', 'h.0.attn.c_attn.weight', 'wte.weight']) {
        const p = model.stateDict()[name];
        expect([storageFormat(p), storageLayout(p)], `${dtype} ${name}`).toEqual([dtype, layout]);
      }
      expect([storageFormat(model.wpe.weight), storageLayout(model.wpe.weight)], dtype).toEqual(['float32', 'rows']);
      expect((storage.storage as () => string)()).toBe(`weights ${dtype} ${layout}`);
      for (const p of model.parameters()) p.dispose();
    }
    // auto on a float32 checkpoint is the plain load
    const f32 = weightStorage('auto', 'wasm');
    const model = await loadGPT2(fileURLToPath(new URL('tiny-random-gpt2/hf', fixtures)), undefined, f32);
    expect(model.parameters().every((p) => storageFormat(p) === 'float32' && storageLayout(p) === 'rows')).toBe(true);
    expect((f32.storage as () => string)()).toBe('weights float32 rows');
    for (const p of model.parameters()) p.dispose();
    expect(weightStorage('auto', 'js')).toEqual({ storage: 'weights float32 rows' });
    expect(weightStorage('float32', 'js')).toEqual({ storage: 'weights float32 rows' });
    expect(() => weightStorage('bfloat16', 'js')).toThrow(/--dtype bfloat16: half-width weights need the wasm backend, the js backend stores float32 only/);
    expect(() => weightStorage('int8', 'wasm')).toThrow('--dtype: expected one of auto, float32, bfloat16, float16, got "int8"');
  });

  it('float16 checks each matrix against float16\'s largest finite value 65504 (NaN passes); float16 sources are not checked', async () => {
    await initWasmBackend();
    const info = (sourceDtype: string): WeightInfo => ({ sourceDtype, sourceKeys: ['k'], role: 'linear' });
    const onWeight = weightStorage('float16', 'wasm').onWeight!;
    const run = (values: number[], sourceDtype = 'bfloat16') => {
      const t = tensor(Float32Array.from(values), { shape: [1, values.length] });
      try {
        onWeight('h.1.attn.c_proj.weight', t, info(sourceDtype)).dispose();
      } finally {
        t.dispose();
      }
    };
    expect(() => run([65504, -65504, Number.NaN, 0.5])).not.toThrow();
    // the second float32 above 65504 (float32 spacing there is 2^-8)
    expect(() => run([1, 65504.0078125])).toThrow("--dtype float16: h.1.attn.c_proj.weight has max |value| 65504.0078125, beyond float16's largest finite value 65504");
    expect(() => run([-70000, 2])).toThrow(/has max \|value\| 70000, .*use --dtype bfloat16 or float32$/);
    expect(() => run([Number.NEGATIVE_INFINITY], 'float32')).toThrow(/has max \|value\| Infinity,/);
    expect(() => run([Number.POSITIVE_INFINITY], 'float16')).not.toThrow();
    // bfloat16 reaches 3.4e38: no check
    const bf = weightStorage('bfloat16', 'wasm').onWeight!;
    const t = tensor(Float32Array.from([1e30]), { shape: [1, 1] });
    bf('h.0.mlp.c_fc.weight', t, info('float32')).dispose();
    t.dispose();
  });
});

describe.skipIf(!hasTokenizer)('gorch generate --dtype', () => {
  const { prompt, max_new_tokens: n } = cliGolden;
  const args = (d: Half, ...more: string[]) => ['generate', '-m', dirOf(d), '--tokenizer', tokenizer, '-p', prompt, '-n', String(n), ...more];

  it.each(['bfloat16', 'float16'] as const)('auto (the default) on the %s checkpoint prints torch\'s greedy text and names the storage', async (d) => {
    for (const extra of [['--dtype', 'auto'], []]) {
      const r = await runCli(...args(d, ...extra));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${cliGolden.dtypes[d].text}\n`);
      expect(r.stderr).toContain(`parameters (model.safetensors, ${d}; weights ${d} panels)`);
    }
  });

  it('the torch.save file gives the same text; --dtype float32, --backend js and --no-kv-cache too', async () => {
    const want = `${cliGolden.dtypes.bfloat16.text}\n`;
    const bin = await runCli('generate', '-m', join(dirOf('bfloat16'), 'pytorch_model.bin'), '--tokenizer', tokenizer, '-p', prompt, '-n', String(n));
    expect(bin.stdout).toBe(want);
    expect(bin.stderr).toContain('(pytorch_model.bin, bfloat16; weights bfloat16 panels)');
    const f32 = await runCli(...args('bfloat16', '--dtype', 'float32'));
    expect(f32.stdout).toBe(want);
    expect(f32.stderr).toContain('(model.safetensors, bfloat16; weights float32 rows)');
    const js = await runCli('--backend', 'js', ...args('bfloat16'));
    expect(js.stdout).toBe(want);
    expect(js.stderr).toContain('(model.safetensors, bfloat16; weights float32 rows)');
    const noCache = await runCli(...args('bfloat16', '--no-kv-cache'));
    expect(noCache.stdout).toBe(want);
    setBackend('wasm');
  });

  it('a dtype outside the list and a half dtype on js are usage errors (status 2) naming --dtype', async () => {
    const bad = await runCli(...args('bfloat16', '--dtype', 'int8'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--dtype <dtype>' argument 'int8' is invalid. Allowed choices are auto, float32, bfloat16, float16.");
    const js = await runCli('--backend', 'js', ...args('bfloat16', '--dtype', 'float16'));
    expect(js.code).toBe(2);
    expect(js.stderr).toContain('gorch: --dtype float16: half-width weights need the wasm backend');
    expect(js.stdout).toBe('');
    setBackend('wasm');
  });

  it('float16 refuses, while loading and before any output, a weight beyond float16\'s range that bfloat16 keeps', async () => {
    // the bfloat16 checkpoint with four weights of h.0.mlp.c_fc set to BF16 bits 0x47c3 = 99840
    // (1.5234375 * 2^16): finite in bfloat16, Inf in float16 (largest finite 65504)
    const tmp = mkdtempSync(join(tmpdir(), 'gorch-f16-range-'));
    copyFileSync(join(dirOf('bfloat16'), 'config.json'), join(tmp, 'config.json'));
    const bytes = Buffer.from(readFileSync(join(dirOf('bfloat16'), 'model.safetensors')));
    const hlen = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + hlen).toString('utf8')) as Record<string, { dtype: string; data_offsets: [number, number] }>;
    const entry = header['transformer.h.0.mlp.c_fc.weight'];
    expect(entry.dtype).toBe('BF16');
    for (let i = 0; i < 4; i++) bytes.writeUInt16LE(0x47c3, 8 + hlen + entry.data_offsets[0] + 2 * i);
    writeFileSync(join(tmp, 'model.safetensors'), bytes);
    const at = (...more: string[]) => ['generate', '-m', tmp, '--tokenizer', tokenizer, '-p', prompt, '-n', '2', ...more];

    const f16 = await runCli(...at('--dtype', 'float16'));
    expect(f16.code).toBe(2);
    expect(f16.stdout).toBe('');
    expect(f16.stderr).toBe("gorch: --dtype float16: h.0.mlp.c_fc.weight has max |value| 99840, beyond float16's largest finite value 65504 (it would become Inf); use --dtype bfloat16 or float32\n");
    for (const ok of ['bfloat16', 'auto', 'float32']) {
      const r = await runCli(...at('--dtype', ok));
      expect(r.code, `${ok}: ${r.stderr}`).toBe(0);
      expect(r.stdout.startsWith(prompt), ok).toBe(true);
    }
  });

  it('a corrupt half checkpoint is still its typed error (status 1, code printed)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'gorch-dtype-'));
    copyFileSync(join(dirOf('bfloat16'), 'config.json'), join(tmp, 'config.json'));
    const bytes = readFileSync(join(dirOf('bfloat16'), 'model.safetensors'));
    writeFileSync(join(tmp, 'model.safetensors'), bytes.subarray(0, bytes.length - 64));
    const r = await runCli(...args('bfloat16').map((a) => (a === dirOf('bfloat16') ? tmp : a)));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^gorch: .*\[[A-Za-z]+\]\n$/);
    expect(r.stdout).toBe('');
  });
});
