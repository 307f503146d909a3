// AttributeProto value fields follow onnx.checker (onnx 1.12, check_attribute): a value in a field
// other than the one `type` names is "type field and data field mismatch"; no value field at all is
// accepted (proto3 default: 0, '', []). Both were checked with /usr/bin/python3 -c 'onnx.checker...'.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnxType, ONNXError, parseONNX } from '../src/index';
import { FIXTURES, HAS_FIXTURES } from './paths';

const encode = (model: object): Uint8Array => onnxType('ModelProto').encode(onnxType('ModelProto').fromObject(model)).finish();
const info = (name: string) => ({ name, type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 1 }] } } } });
const withAttribute = (attribute: object): Uint8Array =>
  encode({
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }, { domain: 'my.dom', version: 1 }],
    graph: { node: [{ op_type: 'Foo', domain: 'my.dom', name: 'foo', input: ['x'], output: ['y'], attribute: [attribute] }], input: [info('x')], output: [info('y')] },
  });

function error(fn: () => unknown): ONNXError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ONNXError) return err;
    throw err;
  }
  throw new Error('expected an ONNXError');
}

describe('attribute value fields', () => {
  it('an attribute with a type and no value gets the proto default, like onnx.checker accepts', () => {
    const cases: [number, unknown][] = [[1, 0], [2, 0], [3, ''], [6, []], [7, []], [8, []], [9, []], [10, []]];
    for (const [type, want] of cases) {
      const node = parseONNX(withAttribute({ name: 'a', type }), { source: 'hand.onnx' }).nodes[0];
      expect(node.attributes.a).toEqual(want);
    }
  });
  it('TENSOR / GRAPH with no value have no usable default: E_ONNX_DATA naming node and attribute', () => {
    for (const type of [4, 5]) {
      const err = error(() => parseONNX(withAttribute({ name: 'a', type }), { source: 'hand.onnx' }));
      expect(err.code).toBe('E_ONNX_DATA');
      expect(err.message).toMatch(/hand\.onnx: attribute 'a' of node 0 'foo' \(Foo\) has type (TENSOR|GRAPH) but no/);
    }
  });
  it('a value in the wrong field is E_ONNX_DATA (type field and data field mismatch)', () => {
    const err = error(() => parseONNX(withAttribute({ name: 'a', type: 3, i: 1 }), { source: 'hand.onnx' }));
    expect(err.code).toBe('E_ONNX_DATA');
    expect(err.message).toContain("attribute 'a' of node 0 'foo' (Foo) has type STRING but its value is in field i");
    expect(error(() => parseONNX(withAttribute({ name: 'b', type: 7, ints: [1], floats: [2] }), { source: 'h' })).message).toMatch(/type INTS but its value is in field floats/);
  });
  it.skipIf(!HAS_FIXTURES)('a Conv whose INT attribute `group` was retyped STRING (hostile-input repro) is E_ONNX_DATA', () => {
    const bytes = readFileSync(join(FIXTURES, 'onnx-backend/test_Conv2d_groups/model.onnx'));
    const type = onnxType('ModelProto');
    const msg = type.toObject(type.decode(bytes)) as { graph: { node: { op_type: string; attribute: { name: string; type: number }[] }[] } };
    const conv = msg.graph.node.find((n) => n.op_type === 'Conv')!;
    conv.attribute.find((a) => a.name === 'group')!.type = 3;
    const err = error(() => parseONNX(type.encode(type.fromObject(msg)).finish(), { source: 'flipped.onnx' }));
    expect(err.code).toBe('E_ONNX_DATA');
    expect(err.message).toMatch(/flipped\.onnx: attribute 'group' of node 0 .*\(Conv\) has type STRING but its value is in field i/);
  });
});
