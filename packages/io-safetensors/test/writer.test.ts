// The writer against (a) a file written by the Python reference-layout writer of
// tools/fixtures/safetensors_check.py (golden/reference_writer.safetensors; the same script checked
// gorch's file against torch tensors: golden/torch_check.json), and (b) byte vectors from the
// reference implementation's own tests (huggingface/safetensors, tensor.rs: test_serialization,
// test_serialization_forced_alignement, test_empty).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSafetensors, parseSafetensors, saveSafetensors, serializeSafetensors } from '../src/index.js';
import { CHECK_METADATA, checkTensors } from '../tools/check_tensors.js';
import { golden, readBytes } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'gorch-st-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const reference = readBytes(new URL('./golden/reference_writer.safetensors', import.meta.url));
const report = golden('torch_check.json');

describe('writer matches the reference layout', () => {
  it('serializeSafetensors is byte-identical to the Python reference-layout writer', () => {
    const out = serializeSafetensors(checkTensors(), CHECK_METADATA);
    expect(Buffer.from(out).equals(Buffer.from(reference))).toBe(true);
  });

  it('saveSafetensors writes the same bytes, and that file is the one PyTorch checked', async () => {
    const path = join(dir, 'check.safetensors');
    await saveSafetensors(path, checkTensors(), CHECK_METADATA);
    const written = new Uint8Array(readFileSync(path));
    expect(Buffer.from(written).equals(Buffer.from(reference))).toBe(true);
    expect(report.byte_identical_to_reference_writer).toBe(true);
    expect(sha(written)).toBe(report.gorch_file_sha256);
    expect(Object.values(report.tensors).every((t: any) => t.match)).toBe(true);
  });

  it('reading the reference file gives back the input values', async () => {
    const f = parseSafetensors(reference);
    const g = await loadSafetensors(reference);
    expect({ ...f.metadata }).toEqual(CHECK_METADATA);
    for (const [name, t] of checkTensors()) {
      for (const got of [f.tensors[name]!, g.tensors[name]!]) {
        expect(got.dtype).toBe(t.dtype);
        expect(got.shape).toEqual(t.shape);
        expect(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength)).toEqual(
          Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
        );
      }
    }
  });

  it('toFloat32 while streaming decodes F16 / BF16 exactly', async () => {
    const g = await loadSafetensors(reference, { toFloat32: true });
    expect(g.tensors.half!.dtype).toBe('F32');
    expect([...(g.tensors.half!.data as Float32Array)]).toEqual([-50, -13, 24, -40, -3, 34].map((v) => v / 8));
    expect([...(g.tensors['half.specials']!.data as Float32Array)]).toEqual([0, -0, Infinity, -Infinity, NaN, 2 ** -24, 65504]);
    expect([...(g.tensors.bf!.data as Float32Array)]).toEqual([-50, -13, 24, -40, -3].map((v) => v / 8));
    expect(g.tensors.ids!.dtype).toBe('I64');
  });

  it('reproduces the reference test vectors', () => {
    const data = Float32Array.of(0, 1, 2, 3, 4, 5);
    const one = serializeSafetensors({ 'attn.0': { dtype: 'F32', shape: [1, 2, 3], data } });
    expect([...one.subarray(0, 8)]).toEqual([64, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(one.subarray(8, 72))).toBe('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}');
    const padded = serializeSafetensors({ attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data } });
    expect([...padded.subarray(0, 8)]).toEqual([72, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(padded.subarray(8, 80))).toBe('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ');
    expect([...serializeSafetensors({})]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const meta = serializeSafetensors({}, { framework: 'pt' });
    expect(meta.length).toBe(48);
    expect(new TextDecoder().decode(meta.subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });
});
