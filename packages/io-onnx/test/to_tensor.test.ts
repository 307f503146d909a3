// ONNX tensors -> gorch Tensors (values from golden/storage.json, tools/fixtures/io_onnx.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadONNX, onnxTensors, onnxTensorToTensor } from '../src/index';
import { GOLDEN } from './paths';

const golden = JSON.parse(readFileSync(join(GOLDEN, 'storage.json'), 'utf8')) as { tensors: Record<string, { dims: number[]; values: number[] }> };

describe('onnxTensorToTensor', () => {
  const file = loadONNX(join(GOLDEN, 'storage', 'typed_fields.onnx'));

  it.each([
    ['float_data', 'float32'], ['float16_bits_in_int32_data', 'float32'], ['double_data', 'float32'], ['raw_float16', 'float32'],
    ['int64_data', 'int32'], ['raw_int64', 'int32'], ['uint8_in_int32_data', 'int32'], ['int8_in_int32_data', 'int32'],
    ['int16_in_int32_data', 'int32'], ['bool_in_int32_data', 'int32'], ['raw_scalar', 'float32'], ['raw_empty', 'float32'],
  ])('%s becomes a %s tensor with the same values', (name, dtype) => {
    const t = onnxTensorToTensor(file.tensors.get(name)!);
    const want = golden.tensors[name];
    expect([t.dtype, [...t.shape]]).toEqual([dtype, want.dims]);
    expect(Array.from(t.dataSync())).toEqual(want.values.map((v) => (dtype === 'float32' ? Math.fround(v) : v)));
  });

  it('refuses int64 values outside int32 and string tensors', () => {
    expect(() => onnxTensorToTensor(file.tensors.get('int64_big')!)).toThrow(/value 1099511627776 at index 0 does not fit gorch's int32/);
    expect(() => onnxTensorToTensor(file.tensors.get('string_data')!)).toThrow(expect.objectContaining({ code: 'E_ONNX_DTYPE' }));
  });

  it('onnxTensors converts a whole graph in file order', () => {
    const ext = onnxTensors(loadONNX(join(GOLDEN, 'storage', 'external.onnx')));
    expect([...ext.keys()]).toEqual(['w', 'idx', 'b']);
    expect(ext.get('idx')!.dtype).toBe('int32');
  });
});
