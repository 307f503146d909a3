// Reading the onnx-backend cases' TensorProto files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { parseTensorProto, type ONNXTensor } from '../src/index';
import { FIXTURES } from './paths';

export const BACKEND = join(FIXTURES, 'onnx-backend');

export function readCase(name: string): { inputs: ONNXTensor[]; outputs: ONNXTensor[] } {
  const dir = join(BACKEND, name, 'test_data_set_0');
  const files = readdirSync(dir).sort();
  const read = (prefix: string) =>
    files.filter((f) => f.startsWith(prefix)).map((f) => parseTensorProto(readFileSync(join(dir, f)), { source: join(dir, f) }));
  return { inputs: read('input_'), outputs: read('output_') };
}

export function toOrt(t: ONNXTensor): ort.Tensor {
  return new ort.Tensor(t.dtype as 'float32' | 'int64', t.data as Float32Array | BigInt64Array, t.dims);
}

