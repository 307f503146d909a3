// BF16 and F16 checkpoints of ../shared/fixtures/tiny-random-gpt2 (cast by torch, saved as safetensors and
// torch.save zips) against PyTorch's float32 forward on those half weights. Golden and checkpoints:
// tools/fixtures/gpt2_half_checkpoints.py. Also the onWeight load option: what it is told, what it may
// return, and that loading never holds a float32 model of placeholders.
import { readFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { noGrad } from '@gorch/autograd';
import { getBackend, getBackendName, numTensors, registeredBackends, Tensor, tensor, tidy } from '@gorch/tensor';
import {
  checkpointFromStateDict, configFromPretrained, generateWithConfig, gorchToHF, greedyConfig, loadGPT2, loadGPT2Verbose, parameterCount,
  type GPT2LMHeadModel, type WeightInfo,
} from '../src/index';

interface Case { prompt: number[]; ids: number[]; min_top2_gap: number; logit_rows: number[]; logits: number[][] }
interface Golden { dtypes: Record<'bfloat16' | 'float16', { dir: string; cases: Case[] }> }
const golden: Golden = JSON.parse(readFileSync(new URL('golden/gpt2_half.json', import.meta.url), 'utf8'));
const dirOf = (dtype: 'bfloat16' | 'float16') => new URL(`golden/${golden.dtypes[dtype].dir}/`, import.meta.url).pathname;
const FILES = ['model.safetensors', 'pytorch_model.bin'] as const;
// float32 forward of identical (exactly widened) weights in another summation order (measured below 1e-6
// on 'js'); every logit of this model is below 1 in magnitude, and each greedy choice was at least 1.1e-3
// from a tie in torch, so equal ids are not luck
const TOL = 1e-5;

function logitRows(model: GPT2LMHeadModel, ids: number[], rows: number[]): Float32Array[] {
  return noGrad(() => {
    const logits = tidy(() => model.forward(tensor(Int32Array.from(ids), { shape: [ids.length], dtype: 'int32' })));
    const all = logits.dataSync() as Float32Array;
    logits.dispose();
    const V = model.config.vocabSize;
    return rows.map((r) => all.slice(r * V, (r + 1) * V));
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe.each(['bfloat16', 'float16'] as const)('%s checkpoint of tiny-random-gpt2', (dtype) => {
  it.each(FILES)('%s: logits match torch (model.float()) and greedy ids equal torch\'s, with and without the KV cache', async (file) => {
    const model = await loadGPT2(dirOf(dtype) + file);
    for (const c of golden.dtypes[dtype].cases) {
      const got = logitRows(model, c.ids, c.logit_rows);
      got.forEach((row, i) => expect(maxAbsDiff(row, c.logits[i]), `${file} prompt ${c.prompt} row ${c.logit_rows[i]}`).toBeLessThan(TOL));
      expect(c.min_top2_gap).toBeGreaterThan(50 * TOL);
      const n = c.ids.length - c.prompt.length;
      for (const useKVCache of [true, false]) expect(generateWithConfig(model, c.prompt, { ...greedyConfig(n), useKVCache })).toEqual(c.ids);
    }
  });

  it.each(FILES)('%s: onWeight is told each parameter once, in state-dict order, with the file\'s dtype and its role', async (file) => {
    const seen: [string, number[], WeightInfo][] = [];
    const model = await loadGPT2(dirOf(dtype) + file, undefined, { onWeight: (name, t, info) => (seen.push([name, [...t.shape], info]), t) });
    expect(seen.map(([n]) => n)).toEqual([...model.namedParameters()].map(([n]) => n));
    for (const [name, shape, info] of seen) {
      expect(info.sourceDtype, name).toBe(dtype);
      expect(info.sourceKeys, name).toEqual([`transformer.${name}`]);
      expect(shape, name).toEqual(model.stateDict()[name].shape);
    }
    const role = Object.fromEntries(seen.map(([n, , i]) => [n, i.role]));
    expect(role['wte.weight']).toBe('tied-embedding');
    expect(role['wpe.weight']).toBe('position-embedding');
    expect(role['h.0.attn.c_attn.weight']).toBe('linear');
    expect(role['h.4.mlp.c_proj.weight']).toBe('linear');
    expect(role['h.0.attn.c_attn.bias']).toBe('bias');
    expect(role['h.2.ln_1.weight']).toBe('norm');
    expect(role['ln_f.bias']).toBe('norm');
  });

  it('the summary line names the checkpoint dtype and the storage the caller reports', async () => {
    const lines: string[] = [];
    await loadGPT2Verbose(dirOf(dtype), undefined, (l) => lines.push(l), { storage: () => 'weights kept as is' });
    const count = parameterCount(configFromPretrained(dirOf(dtype))).toLocaleString('en-US');
    expect(lines).toEqual([`gpt2: 5 layers, n_embd 32, 4 heads, ${count} parameters (model.safetensors, ${dtype}; weights kept as is)`]);
  });
});

describe('onWeight', () => {
  const dir = dirOf('bfloat16');

  it('decides the storage: the returned tensor becomes the parameter, the loader frees both handles', async () => {
    const before = numTensors();
    const model = await loadGPT2(dir, undefined, { onWeight: (name, t) => (name === 'wpe.weight' ? t.mul(2) : t) });
    const plain = await loadGPT2(dir);
    const a = model.wpe.weight.dataSync();
    const b = plain.wpe.weight.dataSync();
    expect(Array.from(a)).toEqual(Array.from(b, (v) => v * 2));
    expect(numTensors() - before).toBe(2 * model.parameters().length);
  });

  it('never holds placeholders: the backend holds exactly the parameters loaded so far plus the current one', async () => {
    const base = getBackend().memory().numBytes;
    let loaded = 0;
    const excess: number[] = [];
    const model = await loadGPT2(dir, undefined, {
      onWeight: (_name, t) => {
        loaded += 4 * t.size;
        excess.push(getBackend().memory().numBytes - base - loaded);
        return t;
      },
    });
    expect(excess.every((e) => e === 0)).toBe(true);
    expect(getBackend().memory().numBytes - base).toBe(4 * model.numParameters());
    expect(registeredBackends()).not.toContain('gpt2-unloaded');
  });

  it('a wrong result or a throw aborts the load with a typed error and frees every tensor made', async () => {
    const backend = getBackendName();
    const before = numTensors();
    const bad: [string, (name: string, t: Tensor) => unknown, RegExp][] = [
      ['wrong shape', (name, t) => (name === 'h.1.mlp.c_fc.weight' ? t.reshape([-1]) : t), /onWeight\('h\.1\.mlp\.c_fc\.weight'\) must return a float32 Tensor of shape \[128, 32\], got float32 \[4096\]/],
      ['not a tensor', () => new Float32Array(4), /onWeight\('wte\.weight'\) must return a float32 Tensor of shape \[1000, 32\], got object/],
      ['disposed', (_n, t) => (t.dispose(), t), /onWeight\('wte\.weight'\) returned a disposed tensor/],
    ];
    for (const [what, hook, message] of bad) {
      const err = await loadGPT2(dir, undefined, { onWeight: hook as (n: string, t: Tensor) => Tensor }).catch((e: unknown) => e);
      expect(err, what).toMatchObject({ code: 'E_ARG', name: 'LoadOptionError' });
      expect((err as Error).message, what).toMatch(message);
    }
    const thrown = new Error('no room');
    await expect(loadGPT2(dir, undefined, { onWeight: (name, t) => { if (name === 'ln_f.weight') throw thrown; return t; } })).rejects.toBe(thrown);
    expect(numTensors()).toBe(before);
    expect(getBackendName()).toBe(backend);
  });

  it('an async hook is refused naming the parameter; its rejection is caught and a tensor it resolves to is freed', async () => {
    const before = numTensors();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const message = "onWeight('wte.weight') returned a Promise; onWeight must be synchronous";
      const rejecting = async (): Promise<Tensor> => {
        throw new Error('boom');
      };
      await expect(loadGPT2(dir, undefined, { onWeight: rejecting as never })).rejects.toMatchObject({ name: 'LoadOptionError', code: 'E_ARG', message });
      const resolving = async (_n: string, t: Tensor): Promise<Tensor> => t.mul(2);
      await expect(loadGPT2(dir, undefined, { onWeight: resolving as never })).rejects.toMatchObject({ name: 'LoadOptionError', message });
      // a bare thenable, not a Promise
      await expect(loadGPT2(dir, undefined, { onWeight: (() => ({ then: (_ok: unknown, fail: (e: unknown) => void) => fail(new Error('late')) })) as never })).rejects.toMatchObject({ message });
      // unhandled rejections are reported after the microtask queue drains
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      expect(numTensors()).toBe(before);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('an Error the hook throws propagates as is; any other thrown value is a LoadOptionError naming the parameter', async () => {
    const before = numTensors();
    for (const [thrown, shown] of [['str', '"str"'], [undefined, 'undefined'], [42, '42'], [{ why: 'x' }, 'object']] as const) {
      const err = await loadGPT2(dir, undefined, {
        onWeight: (name, t) => {
          if (name === 'h.2.attn.c_attn.weight') throw thrown;
          return t;
        },
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'LoadOptionError', code: 'E_ARG', message: `onWeight('h.2.attn.c_attn.weight') threw ${shown}, not an Error` });
      expect((err as Error).cause).toBe(thrown);
    }
    expect(numTensors()).toBe(before);
  });

  it('an object with Tensor\'s prototype that the engine never made is refused before anything is disposed', async () => {
    const before = numTensors();
    const forged = (_n: string, t: Tensor) => Object.assign(Object.create(Tensor.prototype) as Tensor, { shape: t.shape, dtype: 'float32', isDisposed: false });
    const err = await loadGPT2(dir, undefined, { onWeight: forged }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'LoadOptionError', code: 'E_ARG' });
    expect((err as Error).message).toBe("onWeight('wte.weight') must return a float32 Tensor of shape [1000, 32], got an object with Tensor's prototype that no backend created");
    // the forged object was not disposed: the live count would otherwise drop below where it started
    expect(numTensors()).toBe(before);
  });

  it('a storage function must return a string', async () => {
    const before = numTensors();
    for (const [label, got] of [[42, 'number'], [undefined, 'undefined'], [null, 'null']] as const) {
      await expect(loadGPT2Verbose(dir, undefined, () => {}, { storage: (() => label) as never })).rejects.toMatchObject({
        name: 'LoadOptionError', code: 'E_ARG', message: `loadGPT2Verbose: options.storage() must return a string, got ${got}`,
      });
      await expect(loadGPT2(dir, undefined, { storage: (() => label) as never })).rejects.toMatchObject({ message: `loadGPT2: options.storage() must return a string, got ${got}` });
    }
    expect(numTensors()).toBe(before);
  });

  it('options of the wrong type are E_ARG errors naming the option', async () => {
    await expect(loadGPT2(dir, undefined, 7 as never)).rejects.toMatchObject({ code: 'E_ARG', message: 'loadGPT2: options must be an object, got number' });
    await expect(loadGPT2(dir, undefined, { onWeight: 'repack' as never })).rejects.toMatchObject({ code: 'E_ARG', message: 'loadGPT2: options.onWeight must be a function, got string' });
    await expect(loadGPT2Verbose(dir, undefined, () => {}, { storage: 3 as never })).rejects.toMatchObject({ code: 'E_ARG', message: 'loadGPT2Verbose: options.storage must be a string or a function, got number' });
  });

  it('an in-memory state dict reports float32', async () => {
    const cfg = configFromPretrained(dir);
    const full = await loadGPT2(dir);
    const sd = gorchToHF(new Map([...full.namedParameters()].map(([n, p]) => [n, { shape: [...p.shape], data: p.dataSync() as Float32Array }])), cfg);
    const dtypes = new Set<string>();
    await loadGPT2(checkpointFromStateDict(sd, 'mem'), { ...cfg }, { onWeight: (_n, t, info) => (dtypes.add(info.sourceDtype), t) });
    expect([...dtypes]).toEqual(['float32']);
  });
});

describe('corrupt half checkpoints keep their typed errors', () => {
  const dir = dirOf('bfloat16');

  it('safetensors: a BF16 tensor relabelled I16 is an integer parameter (E_CHECKPOINT), a truncated file a SafetensorsError', async () => {
    const { mkdtempSync, writeFileSync, copyFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const bytes = readFileSync(join(dir, 'model.safetensors'));
    const n = Number(bytes.readBigUInt64LE(0));
    const header = bytes.subarray(8, 8 + n).toString('latin1');
    const i = header.indexOf('"transformer.h.3.mlp.c_fc.weight":{"dtype":"BF16"');
    expect(i).toBeGreaterThan(0);
    const relabelled = Buffer.from(bytes);
    relabelled.write(header.slice(0, i) + header.slice(i).replace('"BF16"', '"I16" '), 8, 'latin1');
    const tmp = mkdtempSync(join(tmpdir(), 'gorch-half-'));
    copyFileSync(join(dir, 'config.json'), join(tmp, 'config.json'));
    writeFileSync(join(tmp, 'model.safetensors'), relabelled);
    await expect(loadGPT2(tmp)).rejects.toMatchObject({ code: 'E_CHECKPOINT', message: 'model.safetensors: tensor "transformer.h.3.mlp.c_fc.weight" has an integer dtype, expected a floating-point parameter' });
    writeFileSync(join(tmp, 'model.safetensors'), bytes.subarray(0, bytes.length - 100));
    await expect(loadGPT2(tmp)).rejects.toMatchObject({ name: 'SafetensorsError' });
  });

  it('torch.save: an unknown storage class is refused by name, a storage of the wrong dtype size by size', async () => {
    const { mkdtempSync, writeFileSync, copyFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const files = unzipSync(readFileSync(join(dir, 'pytorch_model.bin')));
    const pkl = Object.keys(files).find((k) => k.endsWith('/data.pkl'))!;
    const swap = (to: string) => {
      const text = Buffer.from(files[pkl]).toString('latin1');
      expect(text).toContain('\nBFloat16Storage\n');
      return zipSync({ ...files, [pkl]: Uint8Array.from(Buffer.from(text.replaceAll('\nBFloat16Storage\n', `\n${to}\n`), 'latin1')) });
    };
    const tmp = mkdtempSync(join(tmpdir(), 'gorch-half-'));
    copyFileSync(join(dir, 'config.json'), join(tmp, 'config.json'));
    writeFileSync(join(tmp, 'pytorch_model.bin'), swap('ComplexFloatStorage'));
    await expect(loadGPT2(tmp)).rejects.toMatchObject({ code: 'E_PICKLE_GLOBAL', message: expect.stringContaining('torch.ComplexFloatStorage') });
    writeFileSync(join(tmp, 'pytorch_model.bin'), swap('FloatStorage'));
    await expect(loadGPT2(tmp)).rejects.toMatchObject({ code: 'E_CHECKPOINT', message: expect.stringMatching(/declares \d+ bytes but the pickle says its storage is \d+ float32/) });
  });
});
