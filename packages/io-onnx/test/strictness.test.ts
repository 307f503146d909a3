// Corrupt, truncated and malformed files must end in an ONNXError with a code, never another
// exception, a hang, or a read past the buffer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import protobuf from 'protobufjs/light.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadONNX, MAX_DEPTH, onnxType, ONNXError, parseONNX, parseTensorProto } from '../src/index';
import { FIXTURES, HAS_FIXTURES } from './paths';

const encode = (model: object): Uint8Array => onnxType('ModelProto').encode(onnxType('ModelProto').fromObject(model)).finish();
const floatInfo = (name: string, dims: number[]) => ({ name, type: { tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => ({ dim_value: d })) } } } });
const model = (graph: object) => ({ ir_version: 8, opset_import: [{ domain: '', version: 17 }], graph });
const relu = (input: string, output: string) => ({ op_type: 'Relu', input: [input], output: [output], name: `relu_${output}` });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ONNXError) return err.code;
    throw err;
  }
  return 'ok';
}

describe.skipIf(!HAS_FIXTURES)('truncated and corrupted fixture files', () => {
  const bytes = readFileSync(join(FIXTURES, 'onnx-backend/test_Conv2d_groups/model.onnx'));

  it('rejects every strict prefix with an ONNXError', () => {
    const codes = new Set<string>();
    for (let n = 0; n < bytes.length; n++) codes.add(codeOf(() => parseONNX(bytes.subarray(0, n))));
    expect(codes.has('ok')).toBe(false);
    expect(codes).toContain('E_ONNX_TRUNCATED');
  });

  it('survives random byte corruption: parses or throws ONNXError', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const copy = new Uint8Array(bytes);
        for (const [at, value] of edits) copy[at] = value;
        codeOf(() => parseONNX(copy));
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('rejects bytes that are not ONNX', () => {
    expect(codeOf(() => parseONNX(new TextEncoder().encode('{"not": "onnx"}')))).not.toBe('ok');
    expect(codeOf(() => parseONNX(new Uint8Array(0)))).toBe('E_ONNX_DATA');
  });
});

describe('wire format', () => {
  it('names a field with the wrong wire type', () => {
    const w = protobuf.Writer.create();
    w.uint32((1 << 3) | 2).string('eight'); // ir_version is a varint
    expect(() => parseONNX(w.finish())).toThrow(/wire type 2 where the schema needs 0 \(onnx.ModelProto.ir_version\)/);
  });

  it('names a nested field with the wrong wire type', () => {
    const good = encode(model({ node: [{ ...relu('x', 'y'), attribute: [{ name: 'alpha', type: 1, f: 0.5 }] }], input: [floatInfo('x', [1])], output: [floatInfo('y', [1])] }));
    // AttributeProto.f is fixed32 (tag 0x15); rewrite it as a varint (tag 0x10) followed by 4 bytes.
    const at = good.findIndex((b, i) => b === 0x15 && good[i + 1] === 0 && good[i + 4] === 0x3f);
    const bad = new Uint8Array(good);
    bad[at] = 0x10;
    expect(() => parseONNX(bad)).toThrow(expect.objectContaining({ code: 'E_ONNX_WIRE', message: expect.stringMatching(/graph\.node\[0\]\.attribute\[0\]\.f/) }));
  });

  it('rejects a length that runs past the buffer', () => {
    const w = protobuf.Writer.create();
    w.uint32((7 << 3) | 2).uint64(2 ** 50); // graph of 2^50 bytes
    expect(codeOf(() => parseONNX(w.finish()))).toBe('E_ONNX_TRUNCATED');
  });

  it('rejects a varint longer than 10 bytes and group wire types', () => {
    expect(codeOf(() => parseONNX(new Uint8Array([0x08, ...new Array(11).fill(0xff), 0x01])))).toBe('E_ONNX_WIRE');
    expect(codeOf(() => parseONNX(new Uint8Array([0x0b, 0x0c])))).toBe('E_ONNX_WIRE');
  });

  it(`caps nesting at ${MAX_DEPTH} levels instead of overflowing the stack`, () => {
    let graph: object = { name: 'leaf' };
    // Each level nests graph -> node -> attribute -> graph: three messages deeper.
    for (let i = 0; i < MAX_DEPTH / 3 + 1; i++) graph = { node: [{ op_type: 'If', attribute: [{ name: 'then_branch', type: 5, g: graph }] }] };
    expect(() => parseONNX(encode(model(graph)))).toThrow(/nested deeper than 64/);
  });
});

describe('tensor data', () => {
  const withInit = (init: object) => encode(model({ initializer: [{ name: 'w', ...init }] }));

  it('rejects raw_data whose length does not match dims', () => {
    expect(() => parseONNX(withInit({ dims: [2, 3], data_type: 1, raw_data: new Uint8Array(20) }))).toThrow(/tensor 'w' \(float32, dims \[2,3\]\) needs 24 bytes of data, found 20/);
  });

  it('rejects a typed field whose length does not match dims', () => {
    expect(() => parseONNX(withInit({ dims: [2, 3], data_type: 1, float_data: [1, 2, 3, 4, 5] }))).toThrow(/needs 6 values in float_data, found 5/);
    expect(codeOf(() => parseONNX(withInit({ dims: [4], data_type: 7, int64_data: [1, 2, 3] })))).toBe('E_ONNX_DATA');
  });

  it('rejects negative dims, unknown data types and data in two places', () => {
    expect(codeOf(() => parseONNX(withInit({ dims: [-1], data_type: 1 })))).toBe('E_ONNX_DATA');
    expect(codeOf(() => parseONNX(withInit({ dims: [1], data_type: 99, raw_data: new Uint8Array(4) })))).toBe('E_ONNX_DTYPE');
    expect(codeOf(() => parseONNX(withInit({ dims: [1], data_type: 1, raw_data: new Uint8Array(4), float_data: [1] })))).toBe('E_ONNX_DATA');
  });

  it('checks a standalone TensorProto the same way', () => {
    const t = onnxType('TensorProto');
    const bytes = t.encode(t.fromObject({ dims: [3], data_type: 6, raw_data: new Uint8Array(8) })).finish();
    expect(codeOf(() => parseTensorProto(bytes))).toBe('E_ONNX_DATA');
    expect(codeOf(() => parseTensorProto(bytes.subarray(0, bytes.length - 1)))).toBe('E_ONNX_TRUNCATED');
  });
});

describe('graph structure', () => {
  const io = { input: [floatInfo('x', [1])], output: [floatInfo('z', [1])] };

  it('rejects a cycle, naming a node on it', () => {
    const graph = { ...io, node: [{ op_type: 'Add', input: ['x', 'b'], output: ['a'], name: 'first' }, relu('a', 'b'), relu('b', 'z')] };
    expect(() => parseONNX(encode(model(graph)))).toThrow(/cycle through node 0 'first' \(Add\)/);
  });

  it('rejects an input that nothing defines and a value assigned twice', () => {
    expect(() => parseONNX(encode(model({ ...io, node: [relu('nowhere', 'z')] })))).toThrow(/reads 'nowhere'/);
    expect(() => parseONNX(encode(model({ ...io, node: [relu('x', 'z'), relu('x', 'z')] })))).toThrow(/assigns 'z', already assigned/);
  });

  it('accepts nodes out of file order when they form a DAG', () => {
    const file = parseONNX(encode(model({ ...io, node: [relu('y', 'z'), relu('x', 'y')] })));
    expect(file.nodes.map((n) => n.name)).toEqual(['relu_z', 'relu_y']);
  });

  it('lets a subgraph read values of its enclosing graph', () => {
    const inner = { node: [relu('x', 'inner_out')], output: [floatInfo('inner_out', [1])] };
    const graph = { ...io, node: [{ op_type: 'If', input: ['x'], output: ['z'], attribute: [{ name: 'then_branch', type: 5, g: inner }] }] };
    expect(parseONNX(encode(model(graph))).nodes[0].attributes.then_branch).toMatchObject({ nodes: [{ opType: 'Relu' }] });
  });
});

describe('external data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'io-onnx-ext-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const external = (location: string, offset = '0', length = '8') =>
    encode(model({ initializer: [{ name: 'w', dims: [2], data_type: 1, data_location: 1, external_data: [{ key: 'location', value: location }, { key: 'offset', value: offset }, { key: 'length', value: length }] }] }));
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(new Float32Array([1.5, -2]).buffer));

  it('reads a valid range', () => {
    writeFileSync(join(dir, 'ok.onnx'), external('weights.bin'));
    expect(Array.from(loadONNX(join(dir, 'ok.onnx')).tensors.get('w')!.data as Float32Array)).toEqual([1.5, -2]);
  });

  it.each([
    ['a location outside the folder', external('../weights.bin'), /outside the model's folder/],
    ['an absolute location', external('/etc/passwd'), /outside the model's folder/],
    ['a missing file', external('absent.bin'), /cannot open/],
    ['a range past the end', external('weights.bin', '4', '8'), /outside/],
    ['a bad offset', external('weights.bin', '-4'), /not a byte count/],
  ])('rejects %s', (_, bytes, message) => {
    writeFileSync(join(dir, 'bad.onnx'), bytes);
    expect(() => loadONNX(join(dir, 'bad.onnx'))).toThrow(expect.objectContaining({ code: 'E_ONNX_EXTERNAL', message: expect.stringMatching(message) }));
  });
});
