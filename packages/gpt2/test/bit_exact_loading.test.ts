// Loading and saving keep every float32 bit pattern torch keeps: signalling NaNs (a JS number round
// trip would quiet them), NaN signs and payloads, -0, subnormals. Goldens: test/golden/bit_exact_loading.json,
// golden/bit-exact-gpt2/ and golden/bit-exact-storages/, written by tools/fixtures/bit_exact_loading.py
// (run with /usr/bin/python3).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSafetensors } from '@gorch/io-safetensors';
import { loadGPT2, saveGPT2, saveSafetensors } from '../src/index';
import { configFromJSON } from '../src/config';
import { transpose2d, type HostTensor } from '../src/host_tensor';
import { gorchToHF, hfToGorch } from '../src/layout';
import { readTorchZip } from '../src/torch_zip';

interface Bits { shape: number[]; bits: number[] }
const golden = (p: string) => fileURLToPath(new URL(`./golden/${p}`, import.meta.url));
const g = JSON.parse(readFileSync(golden('bit_exact_loading.json'), 'utf8'));
const hf = g.checkpoint.hf as Record<string, Bits>;
const want = g.checkpoint.gorch as Record<string, Bits>;
const cfg = configFromJSON(JSON.parse(readFileSync(golden(`${g.checkpoint.dir}/config.json`), 'utf8')));

const host = (b: Bits): HostTensor => ({ shape: b.shape, data: new Float32Array(Uint32Array.from(b.bits).buffer) });
const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
function expectBits(got: HostTensor, b: Bits, what: string): void {
  expect(got.shape, `${what}: shape`).toEqual(b.shape);
  expect(got.data, `${what}: dtype`).toBeInstanceOf(Float32Array);
  const words = new Uint32Array(got.data.buffer, got.data.byteOffset, got.data.length);
  for (let i = 0; i < b.bits.length; i++) if (words[i] !== b.bits[i]) expect.fail(`${what}[${i}]: got ${hex(words[i])}, want ${hex(b.bits[i])}`);
}

describe('Conv1D transposes keep bits (torch sd[k].t().contiguous())', () => {
  it('transpose2d across 32x32 tile edges ([33, 35])', () => {
    expectBits(transpose2d(host(g.transpose_tiles.in)), g.transpose_tiles.out, 'transpose2d');
  });

  it('hfToGorch gives torch\'s [out, in] bits; gorchToHF gives the HF bits back', () => {
    const m = hfToGorch(new Map(Object.entries(hf).map(([k, b]) => [k, host(b)])), cfg, 'state dict');
    for (const [name, b] of Object.entries(want)) expectBits(m.tensors.get(name)!, b, name);
    const back = gorchToHF(m.tensors, cfg);
    for (const [key, b] of Object.entries(hf)) expectBits(back.get(key)!, b, key);
  });
});

describe('loadGPT2 / saveGPT2 keep bits', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gorch-gpt2-bits-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(['pytorch_model.bin', 'model.safetensors'])('from %s', async (file) => {
    const dir = join(tmp, file);
    let src = golden(g.checkpoint.dir); // config.json + pytorch_model.bin written by torch.save
    if (file === 'model.safetensors') {
      src = dir;
      mkdirSync(dir);
      await saveSafetensors(join(dir, file), new Map(Object.entries(hf).map(([k, b]) => [k, host(b)])));
      copyFileSync(golden(`${g.checkpoint.dir}/config.json`), join(dir, 'config.json'));
    }
    const model = await loadGPT2(src);
    const params = new Map(model.namedParameters());
    for (const [name, b] of Object.entries(want)) {
      const p = params.get(name)!;
      expectBits({ shape: [...p.shape], data: p.dataSync() as Float32Array }, b, `${file} ${name}`);
    }
    const out = join(dir, 'saved');
    await saveGPT2(model, out);
    const saved = parseSafetensors(new Uint8Array(readFileSync(join(out, 'model.safetensors')))).tensors;
    for (const [key, b] of Object.entries(hf)) expectBits({ shape: saved[key].shape, data: saved[key].data as Float32Array }, b, `saved ${key}`);
  });
});

describe('pytorch_model.bin storages widen like torch .float()', () => {
  const zip = readTorchZip(new Uint8Array(readFileSync(golden(g.storages.file))), 'storages.bin');
  const tensors = g.storages.tensors as Record<string, Bits & { dtype: string }>;

  it.each(Object.keys(tensors))('%s', (key) => expectBits(zip.get(key)!, tensors[key], `${key} (${tensors[key].dtype})`));
});
