// Every storage form of TensorProto (typed fields, FLOAT16 bits in int32_data, raw_data, external
// data) against the values onnx.numpy_helper reads (golden/storage.json, tools/fixtures/io_onnx.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { float16ToFloat32, loadONNX, parseONNX, ONNXError, type ONNXTensor } from '../src/index';
import { GOLDEN } from './paths';

const golden = JSON.parse(readFileSync(join(GOLDEN, 'storage.json'), 'utf8')) as {
  tensors: Record<string, { dims: number[]; data_type: number; values: (number | string)[] }>;
};

function values(t: ONNXTensor): (number | string)[] {
  if (t.dtype === 'float16') return Array.from(float16ToFloat32(t.data as Uint16Array));
  return Array.from(t.data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'string' ? v : Number(v)));
}

describe('initializer storage forms', () => {
  const file = loadONNX(join(GOLDEN, 'storage', 'typed_fields.onnx'));

  it.each(file.names)('%s matches numpy_helper.to_array', (name) => {
    const t = file.tensors.get(name)!;
    const want = golden.tensors[name];
    expect([t.dims, t.dataType, t.size]).toEqual([want.dims, want.data_type, want.dims.reduce((a, b) => a * b, 1)]);
    const got = values(t);
    if (t.dtype === 'float32') expect(got).toEqual(want.values.map((v) => Math.fround(v as number)));
    else expect(got).toEqual(want.values);
  });

  it('keeps int64 exact beyond 2^53 in a BigInt64Array', () => {
    const t = file.tensors.get('int64_big')!;
    expect(t.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(t.data as BigInt64Array)).toEqual([2n ** 40n, -3n]);
  });

  it('reads external data next to the model', () => {
    const ext = loadONNX(join(GOLDEN, 'storage', 'external.onnx'));
    expect(ext.names).toEqual(['w', 'idx', 'b']);
    for (const name of ext.names) {
      const want = golden.tensors[`external/${name}`];
      const t = ext.tensors.get(name)!;
      expect(t.dims).toEqual(want.dims);
      expect(values(t)).toEqual(want.values.map((v) => (t.dtype === 'float32' ? Math.fround(v as number) : v)));
    }
  });

  it('needs a reader for external data when parsing bytes', () => {
    const bytes = readFileSync(join(GOLDEN, 'storage', 'external.onnx'));
    expect(() => parseONNX(bytes)).toThrow(expect.objectContaining({ code: 'E_ONNX_EXTERNAL' }));
    const t = parseONNX(bytes, { readExternal: (_location, _offset, length) => new Uint8Array(length ?? 0) }).tensors.get('w')!;
    expect(Array.from(t.data as Float32Array)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('copies unaligned raw_data into an aligned array', () => {
    const bytes = readFileSync(join(GOLDEN, 'storage', 'typed_fields.onnx'));
    // Shift the whole file by one byte so every raw_data view would be misaligned.
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const t = parseONNX(shifted).tensors.get('raw_float')!;
    expect(Array.from(t.data as Float32Array)).toEqual((golden.tensors.raw_float.values as number[]).map(Math.fround));
  });

  it('throws ONNXError for a file it cannot read', () => {
    expect(() => loadONNX('/nonexistent/model.onnx')).toThrow(ONNXError);
  });
});
