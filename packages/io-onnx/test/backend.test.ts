// The 28 official ONNX backend cases (../shared/fixtures/onnx-backend): each model and its
// TensorProto .pb files parse, and onnxruntime fed our decoded inputs reproduces our decoded
// output_0.pb within 1e-5 (the cases' published expectation).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadONNX } from '../src/index';
import { BACKEND, readCase, toOrt } from './backend_case';
import { HAS_FIXTURES } from './paths';

const cases = HAS_FIXTURES ? readdirSync(BACKEND).filter((d) => d.startsWith('test_')) : [];

// onnxruntime 1.30 has no kernels for these cases' old operator versions (opset 6 Gemm, Add,
// BatchNormalization; AveragePool-1); importSequential and the parse golden cover them instead.
const ORT_CANNOT_RUN = new Set(['test_AvgPool2d', 'test_BatchNorm2d_eval', 'test_Linear', 'test_operator_addmm', 'test_operator_basic', 'test_operator_mm', 'test_operator_params']);

describe.skipIf(!HAS_FIXTURES)('onnx-backend fixtures', () => {
  it('has the 28 cases of the fixtures README', () => expect(cases.length).toBe(28));

  it.each(cases)('%s: parses, and onnxruntime on our decoded input gives our decoded output', async (name) => {
    const file = loadONNX(join(BACKEND, name, 'model.onnx'));
    const { inputs, outputs } = readCase(name);
    const initializerNames = new Set(file.names);
    const feeds = file.inputs.filter((v) => !initializerNames.has(v.name));
    expect(feeds.length).toBe(inputs.length);
    expect(outputs.length).toBe(file.outputs.length);
    const create = ort.InferenceSession.create(readFileSync(join(BACKEND, name, 'model.onnx')));
    if (ORT_CANNOT_RUN.has(name)) return expect(create).rejects.toThrow(/Could not find an implementation/);
    const session = await create;
    const result = await session.run(Object.fromEntries(feeds.map((v, i) => [v.name, toOrt(inputs[i])])));
    const got = result[file.outputs[0].name];
    expect([...got.dims]).toEqual(outputs[0].dims);
    const want = outputs[0].data as Float32Array;
    const data = got.data as Float32Array;
    for (let i = 0; i < want.length; i++) expect(Math.abs(data[i] - want[i])).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(want[i]));
  });
});
