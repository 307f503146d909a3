// Float32 values io-onnx only moves, transposes or widens keep the bits torch gives: signalling NaNs
// (a JS number round trip would quiet them), NaN signs and payloads. Goldens: test/golden/bit_exact.json,
// written by tools/fixtures/bit_exact_loading.py (run with /usr/bin/python3).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nn from '@gorch/nn';
import { tensor } from '@gorch/tensor';
import { describe, expect, it } from 'vitest';
import { float16ToFloat32, importSequential, onnxTensorValues, parseONNX, parseTensorProto, sequentialToONNXBytes } from '../src/index';
import { transposedParam } from '../src/export_layers';
import { GOLDEN } from './paths';

interface Bits { shape: number[]; bits: number[] }
const g = JSON.parse(readFileSync(join(GOLDEN, 'bit_exact.json'), 'utf8'));
const floats = (b: Bits) => new Float32Array(Uint32Array.from(b.bits).buffer);
const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
const hexOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), hex);

/** nn.Linear(10, 6) holding the golden weight (bias zero). */
function linear(): nn.Linear {
  const [out, inp] = g.linear.weight.shape;
  const l = new nn.Linear(inp, out);
  l.loadStateDict({ weight: tensor(floats(g.linear.weight), { shape: [out, inp] }), bias: tensor(new Float32Array(out)) });
  return l;
}

describe('Linear weights (torch w.t())', () => {
  it('transposedParam, used for every GPT Linear, keeps every bit', () => {
    const t = transposedParam(tensor(floats(g.linear.weight), { shape: g.linear.weight.shape }));
    expect(t.dims).toEqual(g.linear.weight_T.shape);
    expect(hexOf(t.data as Float32Array)).toEqual(g.linear.weight_T.bits.map(hex));
  });

  it('exported as 0.weight (Gemm) and 0.weight.T (MatMul on 3-D input); imported back to the same bits', () => {
    const gemm = parseONNX(sequentialToONNXBytes(new nn.Sequential(linear()), [2, 10]));
    expect(hexOf(onnxTensorValues(gemm.tensors.get('0.weight')!) as Float32Array)).toEqual(g.linear.weight.bits.map(hex));
    const file = parseONNX(sequentialToONNXBytes(new nn.Sequential(linear()), [2, 3, 10]));
    expect(hexOf(onnxTensorValues(file.tensors.get('0.weight.T')!) as Float32Array)).toEqual(g.linear.weight_T.bits.map(hex));
    const back = importSequential(file).layers[0] as nn.Linear;
    expect(hexOf(back.weight.dataSync() as Float32Array)).toEqual(g.linear.weight.bits.map(hex));
  });
});

describe('float16 initializers widen like torch .float()', () => {
  it('NaNs keep sign and payload', () => {
    expect(hexOf(float16ToFloat32(Uint16Array.from(g.float16.codes)))).toEqual(g.float16.bits.map(hex));
  });

  it('all 65536 codes', () => {
    const all = float16ToFloat32(Uint16Array.from({ length: 65536 }, (_, i) => i));
    expect(createHash('sha256').update(new Uint8Array(all.buffer)).digest('hex')).toBe(g.float16.all_sha256);
  });
});

describe('float_data initializers', () => {
  it('keep the bits of their 4-byte words (as torch.frombuffer reads them)', () => {
    // TensorProto { dims: [n] (field 1), data_type: FLOAT (2), float_data: packed (4) }, written by hand:
    // protobufjs' encoder would take JS numbers and could not carry a signalling NaN
    const words = Uint32Array.from(g.float_data.bits);
    const n = words.length;
    const bytes = new Uint8Array([0x08, n, 0x10, 1, 0x22, 4 * n, ...new Uint8Array(words.buffer)]);
    const t = parseTensorProto(bytes);
    expect(t.dims).toEqual(g.float_data.shape);
    expect(hexOf(t.data as Float32Array)).toEqual(g.float_data.bits.map(hex));
  });
});
