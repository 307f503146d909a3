// Golden values: tools/fixtures/gpt2_parity.py (torch.save archives written by PyTorch itself).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unzipSync, zipSync } from 'fflate';
import { MAX_PICKLE_BYTES, readTorchZip } from '../src/torch_zip';
import { unpickle } from '../src/pickle';
import { PickleError, CheckpointError } from '../src/errors';
import { craftTorchZip, patchCentral } from './torch_zip_craft';

const golden = new URL('./golden/', import.meta.url);
const parity = JSON.parse(readFileSync(new URL('gpt2_parity.json', golden), 'utf8'));
const read = (p: string) => new Uint8Array(readFileSync(new URL(p, golden)));

describe('readTorchZip', () => {
  const cases = readTorchZip(read('pickle-cases/cases.bin'), 'cases.bin');
  const expected = parity.pickle_cases as Record<string, { shape: number[]; dtype: string; values: number[] }>;

  it.each(Object.keys(expected))('reads %s with its shape, strides, offset and dtype', (name) => {
    const t = cases.get(name)!;
    const e = expected[name];
    expect(t.shape).toEqual(e.shape);
    expect(t.data instanceof Int32Array).toBe(e.dtype === 'int64');
    expect(Array.from(t.data)).toEqual(e.values.map((v) => (e.dtype === 'int64' ? v : Math.fround(v))));
  });

  it('reads a whole GPT-2 state dict with its buffers and tied head', () => {
    const sd = readTorchZip(read('parity-gpt2/pytorch_model.bin'), 'pytorch_model.bin');
    expect(sd.get('transformer.h.0.attn.c_attn.weight')!.shape).toEqual([16, 48]);
    expect(sd.get('transformer.h.1.attn.bias')!.shape).toEqual([1, 1, 24, 24]);
    expect(sd.get('lm_head.weight')!.data).toEqual(sd.get('transformer.wte.weight')!.data);
  });

  it('skips keys the caller does not keep', () => {
    const sd = readTorchZip(read('parity-gpt2/pytorch_model.bin'), 'x', (k) => !/\.attn\.bias$/.test(k));
    expect(sd.has('transformer.h.0.attn.bias')).toBe(false);
    expect(sd.has('transformer.h.0.attn.c_attn.bias')).toBe(true);
  });

  it('refuses a pickle that names os.system, naming the global', () => {
    const err = (() => { try { readTorchZip(read('pickle-cases/evil.bin'), 'evil.bin'); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(PickleError);
    expect((err as PickleError).code).toBe('E_PICKLE_GLOBAL');
    expect((err as Error).message).toMatch(/posix\.system|os\.system/);
  });

  it('rejects a file that is not a zip and a zip without data.pkl', () => {
    expect(() => readTorchZip(new Uint8Array([1, 2, 3]), 'junk.bin')).toThrow(CheckpointError);
    expect(() => readTorchZip(zipSync({ 'a/b.txt': new Uint8Array(1) }), 'nopkl.bin')).toThrow(/data\.pkl/);
  });

  it('rejects a storage entry shorter than the pickle says, before inflating it', () => {
    const bytes = read('parity-gpt2/pytorch_model.bin');
    const entries = unzipSync(bytes);
    const key = Object.keys(entries).find((k) => /\/data\/\d+$/.test(k) && entries[k].length > 64)!;
    entries[key] = entries[key].subarray(0, 8);
    expect(() => readTorchZip(zipSync(entries), 'short.bin')).toThrow(/^short\.bin: \w+\/data\/\d+ declares 8 bytes but the pickle says its storage is \d+ float32 \(\d+ bytes\)$/);
  });
});

describe('unpickle', () => {
  // CPython 3.11: pickle.dumps({'a': [1, -2, 3.5, None, True], 'b': ('x', b'\x00\x01', 2**40, 'é')}, protocol=N).hex()
  const p2 = '80027d71002858010000006171015d7102284b014afeffffff47400c0000000000004e88655801000000627103285801000000787104635f636f646563730a656e636f64650a710558020000000001710658060000006c6174696e3171078671085271098a060000000000015802000000c3a9710a74710b752e';
  const p4 = '8004953c000000000000007d94288c0161945d94284b014afeffffff47400c0000000000004e88658c016294288c01789443020001948a060000000000018c02c3a9947494752e';
  const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

  it('decodes the protocol-4 opcodes', () => {
    const v = unpickle(hex(p4), { globals: new Map() }) as Map<string, unknown>;
    expect(v.get('a')).toEqual([1, -2, 3.5, null, true]);
    expect(v.get('b')).toEqual(['x', Uint8Array.from([0, 1]), 2 ** 40, 'é']);
  });

  it('refuses the _codecs.encode global protocol 2 uses for bytes', () => {
    expect(() => unpickle(hex(p2), { globals: new Map(), source: 'p2.pkl' })).toThrow(/p2\.pkl: refusing global _codecs\.encode/);
  });

  it('fails clearly on truncation and unknown opcodes', () => {
    expect(() => unpickle(Uint8Array.from([0x80, 0x02, 0x58, 0xff]), { globals: new Map() })).toThrow(/truncated/);
    expect(() => unpickle(Uint8Array.from([0x80, 0x02, 0xff]), { globals: new Map() })).toThrow(/opcode 0xff/);
    expect(() => unpickle(Uint8Array.from([0x80, 0x02, 0x2e]), { globals: new Map() })).toThrow(/underflow/);
    expect(() => unpickle(Uint8Array.from([0x80, 0x02, 0x68, 0x05]), { globals: new Map() })).toThrow(/memo index 5/);
  });
});

describe('unpickle on damaged input', () => {
  it('every truncation of a real state-dict pickle is a typed error, never a crash or a partial result', () => {
    const entries = unzipSync(read('parity-gpt-neo/pytorch_model.bin'));
    const name = Object.keys(entries).find((k) => k.endsWith('/data.pkl'))!;
    const pkl = entries[name];
    for (let n = 0; n < pkl.length; n += 5) {
      let err: unknown;
      try {
        readTorchZip(zipSync({ ...entries, [name]: pkl.subarray(0, n) }), 'cut.bin');
      } catch (e) {
        err = e;
      }
      expect(err, `prefix of ${n} bytes`).toBeInstanceOf(PickleError);
    }
  });

  it('refuses a pickled module class (torch.save(model)) by name', () => {
    // protocol-2 GLOBAL opcode for torch.nn.modules.linear.Linear followed by STOP
    const bytes = Uint8Array.from([0x80, 0x02, ...Buffer.from('ctorch.nn.modules.linear\nLinear\n'), 0x2e]);
    expect(() => unpickle(bytes, { globals: new Map() })).toThrow(/refusing global torch\.nn\.modules\.linear\.Linear/);
  });
});

describe('readTorchZip on hostile tensors', () => {
  const f32 = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

  it('refuses a zero-stride tensor bigger than its storage before allocating it', () => {
    // 489 bytes that used to ask for 12 GB and loop 3e9 times
    const huge = craftTorchZip([{ name: 'foo', size: [3e9], stride: [0], numel: 1 }], { 0: f32(0) });
    expect(() => readTorchZip(huge, 'stride0.bin')).toThrow(CheckpointError);
    expect(() => readTorchZip(huge, 'stride0.bin')).toThrow(/stride0\.bin: tensor "foo" \(shape \[3000000000\], stride \[0\]\) has 3000000000 elements but its storage holds 1/);
    const square = craftTorchZip([{ name: 'bar', size: [1e6, 1e6], stride: [0, 0], numel: 1 }], { 0: f32(0) });
    expect(() => readTorchZip(square, 'sq.bin')).toThrow(/tensor "bar" .* has 1000000000000 elements/);
  });

  it('still reads a zero-stride tensor that fits in its storage', () => {
    const zip = craftTorchZip([{ name: 'e', size: [2, 3], stride: [0, 1], numel: 6 }], { 0: f32(1, 2, 3, 4, 5, 6) });
    expect(Array.from(readTorchZip(zip, 'e.bin').get('e')!.data)).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('refuses a tensor that reads past its storage, naming it', () => {
    const zip = craftTorchZip([{ name: 'w', size: [2], stride: [4], numel: 4 }], { 0: f32(1, 2, 3, 4) });
    expect(() => readTorchZip(zip, 'oob.bin')).toThrow(/oob\.bin: tensor "w" \(shape \[2\], offset 0\) reads element 4 of a storage of 4/);
  });
});

describe('readTorchZip decompresses only what the state dict references', () => {
  const f32 = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);
  const one = [{ name: 'w', size: [2], stride: [1], numel: 2 }];

  it('never inflates an unreferenced entry (a 4 GB bomb with an unknown compression method is skipped)', () => {
    // the shape of /tmp/breaker's bomb.bin (3 GiB of zeros beside the pickle) without the 3 MB file:
    // a central directory that declares ~4 GB and a method no reader can inflate
    const zip = craftTorchZip(one, { 0: f32(1, 2) }, { 'archive/data/junk': new Uint8Array(1000) });
    const bomb = patchCentral(zip, 'archive/data/junk', { method: 99, originalSize: 0xfffffff0 });
    expect(Array.from(readTorchZip(bomb, 'bomb.bin').get('w')!.data)).toEqual([1, 2]);
  });

  it('checks a referenced entry\'s declared size against the pickle before inflating it', () => {
    const zip = patchCentral(craftTorchZip(one, { 0: f32(1, 2) }), 'archive/data/0', { originalSize: 0xc0000000 });
    expect(() => readTorchZip(zip, 'big.bin')).toThrow(CheckpointError);
    expect(() => readTorchZip(zip, 'big.bin')).toThrow('big.bin: archive/data/0 declares 3221225472 bytes but the pickle says its storage is 2 float32 (8 bytes)');
  });

  it('refuses a data.pkl declared larger than MAX_PICKLE_BYTES, and a storage the zip lacks', () => {
    const zip = patchCentral(craftTorchZip(one, { 0: f32(1, 2) }), 'archive/data.pkl', { originalSize: MAX_PICKLE_BYTES + 1 });
    expect(() => readTorchZip(zip, 'pkl.bin')).toThrow(/pkl\.bin: archive\/data\.pkl declares 268435457 bytes/);
    expect(() => readTorchZip(craftTorchZip(one, {}), 'nostore.bin')).toThrow('nostore.bin: tensor "w" points at missing zip entry archive/data/0');
  });

  it('names the entry when its data is shorter than its header declares', () => {
    const zip = craftTorchZip(one, { 0: f32(1, 2) });
    // the deflate stream of data/0 cut in half: the header still says 8 bytes
    const entries = unzipSync(zip);
    expect(entries['archive/data/0'].length).toBe(8);
    const cut = patchCentral(zip, 'archive/data/0', { method: 0 });
    expect(() => readTorchZip(cut, 'cut.bin')).toThrow(/cut\.bin: (archive\/data\/0 holds \d+ bytes, its zip header declares 8|cannot decompress archive\/data\/0)/);
  });
});
