import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  blobSource,
  bytesSource,
  fetchRangeSource,
  openSafetensors,
  loadSafetensors,
  readSafetensorsHeader,
  saveSafetensors,
  serializeSafetensors,
  SafetensorsError,
  type ByteSource,
} from '../src/index.js';
import { FIXTURES, HAVE_FIXTURES } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'gorch-st-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tensors = {
  'wte.weight': { dtype: 'F32' as const, shape: [4, 2], data: Float32Array.from({ length: 8 }, (_, i) => i) },
  'h.0.ln_1.bias': { dtype: 'F32' as const, shape: [2], data: Float32Array.of(-1, 1) },
  steps: { dtype: 'I64' as const, shape: [], data: BigInt64Array.of(7n) },
};

describe('saveSafetensors', () => {
  it('a failed save leaves no partial file and keeps the old one', async () => {
    const path = join(dir, 'model.safetensors');
    await saveSafetensors(path, tensors);
    const before = readFileSync(path);
    // Bad input fails before the disk is touched.
    await expect(saveSafetensors(path, { x: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).rejects.toMatchObject({ code: 'InvalidTensorView' });
    // A rename onto a directory fails after the temp file was written: it must be cleaned up.
    mkdirSync(join(dir, 'adir'));
    await expect(saveSafetensors(join(dir, 'adir'), tensors)).rejects.toMatchObject({ code: 'IoError' });
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing folder is an IoError naming the file', async () => {
    await expect(saveSafetensors(join(dir, 'nope', 'x.safetensors'), tensors)).rejects.toThrow(/IoError.*nope/);
  });
});

describe('reading files', () => {
  it('a missing file is an IoError naming the file', async () => {
    await expect(loadSafetensors(join(dir, 'missing.safetensors'))).rejects.toMatchObject({ code: 'IoError' });
  });

  it('errors name the file', async () => {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, Uint8Array.of(1, 2, 3));
    await expect(readSafetensorsHeader(path)).rejects.toMatchObject({ code: 'HeaderTooSmall', file: path });
  });

  it('a lazy get reads only that tensor’s bytes', async () => {
    const bytes = serializeSafetensors(tensors);
    const reads: [number, number][] = [];
    const src: ByteSource = { size: bytes.length, read: async (o, l) => (reads.push([o, l]), bytes.slice(o, o + l)) };
    const r = await openSafetensors(src);
    const headerReads = reads.length;
    const t = await r.get('h.0.ln_1.bias');
    expect([...(t.data as Float32Array)]).toEqual([-1, 1]);
    const [b, e] = r.header['h.0.ln_1.bias']!.data_offsets;
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(reads.slice(headerReads)).toEqual([[8 + n + b, e - b]]);
    await expect(r.get('nope')).rejects.toMatchObject({ code: 'TensorNotFound' });
  });

  it('Blob and in-memory sources work (the browser path)', async () => {
    const bytes = serializeSafetensors(tensors);
    const a = await loadSafetensors(new Blob([bytes]));
    const b = await loadSafetensors(bytesSource(bytes));
    const c = await openSafetensors(blobSource(new Blob([bytes])));
    expect([...(a.tensors['wte.weight']!.data as Float32Array)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(b.tensors.steps!.data[0]).toBe(7n);
    expect(c.keys().sort()).toEqual(Object.keys(tensors).sort());
  });

  it.skipIf(!HAVE_FIXTURES)('reads a remote header with HTTP Range requests only', async () => {
    const file = readFileSync(join(FIXTURES, 'fake-gpt2-fullvocab/model.safetensors'));
    const ranges: string[] = [];
    const server = createServer((req, res) => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
      if (!m) return res.writeHead(200).end(file);
      ranges.push(m[0]);
      const [s, e] = [Number(m[1]), Math.min(Number(m[2]), file.length - 1)];
      res.writeHead(206, { 'Content-Range': `bytes ${s}-${e}/${file.length}` }).end(file.subarray(s, e + 1));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      const h = await readSafetensorsHeader(fetchRangeSource(`http://127.0.0.1:${port}/model.safetensors`));
      expect(h.names.length).toBe(16);
      expect(ranges).toEqual(['bytes=0-7', `bytes=8-${8 + h.headerSize - 1}`]);
    } finally {
      server.close();
    }
  });
});

describe('sharded checkpoints (model.safetensors.index.json)', () => {
  const shardDir = join(dir, 'sharded');
  mkdirSync(shardDir);
  const shard1 = { 'wte.weight': tensors['wte.weight'] };
  const shard2 = { 'h.0.ln_1.bias': tensors['h.0.ln_1.bias'], steps: tensors.steps };
  const index = (weight_map: Record<string, string>) => JSON.stringify({ metadata: { total_size: 52 }, weight_map });
  const good = { 'wte.weight': 'model-00001-of-00002.safetensors', 'h.0.ln_1.bias': 'model-00002-of-00002.safetensors', steps: 'model-00002-of-00002.safetensors' };

  it('opens as one reader and loads every tensor', async () => {
    await saveSafetensors(join(shardDir, good['wte.weight']), shard1, { format: 'pt' });
    await saveSafetensors(join(shardDir, good.steps), shard2, { format: 'pt' });
    writeFileSync(join(shardDir, 'model.safetensors.index.json'), index(good));
    await using r = await openSafetensors(join(shardDir, 'model.safetensors.index.json'));
    expect(r.keys().sort()).toEqual(Object.keys(tensors).sort());
    expect(r.index!.metadata.total_size).toBe(52);
    expect((await r.get('steps')).data[0]).toBe(7n);
    const all = await loadSafetensors(join(shardDir, 'model.safetensors.index.json'));
    expect([...(all.tensors['h.0.ln_1.bias']!.data as Float32Array)]).toEqual([-1, 1]);
    expect({ ...all.metadata }).toEqual({ format: 'pt' });
  });

  it.each([
    ['a shard name escaping the folder', { ...good, steps: '../model-00002-of-00002.safetensors' }],
    ['a tensor missing from its shard', { ...good, extra: 'model-00001-of-00002.safetensors' }],
    ['a shard holding an unlisted tensor', { 'wte.weight': good['wte.weight'], steps: good.steps }],
  ])('rejects %s', async (_, wm) => {
    const path = join(shardDir, `bad.${Object.keys(wm).length}.${Math.random()}.index.json`);
    writeFileSync(path, index(wm as Record<string, string>));
    await expect(openSafetensors(path)).rejects.toMatchObject({ code: 'IndexParsingError' });
  });

  it('a corrupt shard is reported with its file name', async () => {
    writeFileSync(join(shardDir, 'broken.safetensors'), Uint8Array.of(0, 0));
    const path = join(shardDir, 'broken.index.json');
    writeFileSync(path, index({ x: 'broken.safetensors' }));
    const err = await openSafetensors(path).catch((e) => e);
    expect(err).toBeInstanceOf(SafetensorsError);
    expect(err.code).toBe('HeaderTooSmall');
    expect(err.message).toContain('broken.safetensors');
    expect(existsSync(path)).toBe(true);
  });
});
