// Every fixture model parsed by io-onnx against what the reference ONNX library reads from it
// (golden/onnx_parse.json, made by tools/fixtures/io_onnx.py with Debian python3-onnx).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_TYPES, loadONNX, type ONNXTensor } from '../src/index';
import { FIXTURES, GOLDEN, HAS_FIXTURES } from './paths';

interface GoldenModel {
  ir_version: number;
  producer_name: string;
  producer_version: string;
  opset_import: { domain: string; version: number }[];
  inputs: { name: string; elem_type: number; shape: (number | string | null)[] }[];
  outputs: { name: string; elem_type: number; shape: (number | string | null)[] }[];
  nodes: { op_type: string; domain: string; name: string; inputs: string[]; outputs: string[]; attributes: Record<string, unknown> }[];
  initializers: { name: string; dims: number[]; data_type: number; sum: number; head: number[] }[];
}
const golden = JSON.parse(readFileSync(join(GOLDEN, 'onnx_parse.json'), 'utf8')) as { models: Record<string, GoldenModel> };

function asNumbers(t: ONNXTensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

describe.skipIf(!HAS_FIXTURES).each(Object.entries(golden.models))('parseONNX %s', (path, want) => {
  const file = loadONNX(join(FIXTURES, path));

  it('reads the header and opset imports', () => {
    expect(file.irVersion).toBe(want.ir_version);
    expect(file.producer).toEqual({ name: want.producer_name, version: want.producer_version });
    expect(file.opsetImports).toEqual(want.opset_import);
  });

  it('reads graph inputs and outputs', () => {
    for (const [ours, theirs] of [[file.inputs, want.inputs], [file.outputs, want.outputs]] as const) {
      expect(ours.map((v) => [v.name, v.dtype, v.shape])).toEqual(theirs.map((v) => [v.name, DATA_TYPES[v.elem_type].name, v.shape]));
    }
  });

  it('reads nodes and their attributes', () => {
    expect(file.nodes.map((n) => [n.opType, n.domain, n.name, n.inputs, n.outputs])).toEqual(want.nodes.map((n) => [n.op_type, n.domain, n.name, n.inputs, n.outputs]));
    file.nodes.forEach((node, i) => {
      expect(Object.keys(node.attributes)).toEqual(Object.keys(want.nodes[i].attributes));
      for (const [key, value] of Object.entries(want.nodes[i].attributes)) {
        const ours = node.attributes[key];
        if (value && typeof value === 'object' && 'dims' in value) {
          const t = ours as ONNXTensor;
          expect({ dims: t.dims, values: asNumbers(t) }).toEqual(value);
        } else if (typeof value === 'number') {
          expect(ours).toBeCloseTo(value, 6);
        } else {
          expect(ours).toEqual(value);
        }
      }
    });
  });

  it('decodes every initializer by name, in file order, with its dims and values', () => {
    expect(file.names).toEqual(want.initializers.map((t) => t.name));
    for (const w of want.initializers) {
      const t = file.tensors.get(w.name)!;
      expect([t.dims, t.dataType]).toEqual([w.dims, w.data_type]);
      const values = asNumbers(t);
      expect(values.slice(0, 4)).toEqual(w.head);
      const sum = values.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - w.sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w.sum)) + 1e-6);
    }
  });
});
