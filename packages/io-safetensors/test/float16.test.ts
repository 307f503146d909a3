// Golden values: tools/fixtures/safetensors_f16.py (PyTorch's .half() / .bfloat16() / .float()).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBf16, decodeF16, encodeBf16, encodeF16, f16ToF32, f32ToF16, toFloat32 } from '../src/index.js';
import { golden } from './helpers.js';

const g = golden('float16.json');
const sha = (a: ArrayBufferView) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const all16 = Uint16Array.from({ length: 65536 }, (_, i) => i);
const isNanBits = (w: number) => (w & 0x7fffffff) > 0x7f800000;

describe('F16 / BF16 → F32 (all 65536 patterns)', () => {
  it('F16 widening matches torch bit for bit', () => expect(sha(decodeF16(all16))).toBe(g.widen_f16_sha256));
  it('BF16 widening matches torch bit for bit', () => expect(sha(decodeBf16(all16))).toBe(g.widen_bf16_sha256));
  it('scalar f16ToF32 agrees with the table', () => {
    expect(f16ToF32(0x0001)).toBe(2 ** -24);
    expect(f16ToF32(0x7bff)).toBe(65504);
    expect(f16ToF32(0xfc00)).toBe(-Infinity);
    expect(Object.is(f16ToF32(0x8000), -0)).toBe(true);
  });
});

describe('F32 → F16 / BF16 (round to nearest even)', () => {
  const input = (bits: number[]) => new Float32Array(Uint32Array.from(bits).buffer);

  it('edge cases match torch (F16 NaN included); BF16 NaN stays NaN', () => {
    const x = input(g.edges.f32_bits);
    const h = encodeF16(x);
    const b = encodeBf16(x);
    g.edges.f32_bits.forEach((w: number, i: number) => {
      expect(h[i], `f16 of 0x${w.toString(16)}`).toBe(g.edges.f16_bits[i]);
      // torch's BF16 NaN is 0x7fc0 or 0xffff depending on the code path (see encodeBf16): only NaN-ness is checked
      if (isNanBits(w)) expect(Number.isNaN(decodeBf16(Uint16Array.of(b[i]!))[0]), `bf16 of NaN ${w.toString(16)}`).toBe(true);
      else expect(b[i], `bf16 of 0x${w.toString(16)}`).toBe(g.edges.bf16_bits[i]);
    });
  });

  it('a 65550-pattern sweep of float32 matches torch', () => {
    const bits = Array.from({ length: g.sweep.count }, (_, k) => Number((BigInt(k) * BigInt(g.sweep.step)) & 0xffffffffn));
    const x = input(bits);
    const keep = bits.map((w) => !isNanBits(w));
    const h = encodeF16(x).filter((_, i) => keep[i]);
    const b = encodeBf16(x).filter((_, i) => keep[i]);
    expect(keep.filter((k) => !k).length).toBe(g.sweep.nan_inputs);
    expect(sha(h)).toBe(g.sweep.f16_sha256);
    expect(sha(b)).toBe(g.sweep.bf16_sha256);
  });

  // tools/fixtures/bit_exact_loading.py: signalling and quiet NaNs of both signs with payloads in every bit range
  it('F16 of a NaN is torch\'s .half(): sign | 0x7e00, payload dropped', () => {
    const n = golden('f16_nan.json') as { f32_bits: number[]; f16_bits: number[] };
    const h = encodeF16(input(n.f32_bits));
    const hex = (v: number) => `0x${v.toString(16)}`;
    expect(Array.from(h, hex)).toEqual(n.f16_bits.map(hex));
  });

  it('round trips every finite F16 exactly', () => {
    const back = encodeF16(decodeF16(all16));
    const wrong = [...all16].filter((i) => ((i & 0x7c00) !== 0x7c00 || (i & 0x3ff) === 0) && back[i] !== i);
    expect(wrong).toEqual([]);
    expect(f32ToF16(NaN) & 0x7c00).toBe(0x7c00);
  });

  it('toFloat32 decodes by dtype and keeps F32 as is', () => {
    const f = new Float32Array([1, 2]);
    expect(toFloat32('F32', f)).toBe(f);
    expect([...toFloat32('BF16', Uint16Array.of(0x3f80, 0xc000))]).toEqual([1, -2]);
    expect([...toFloat32('I64', BigInt64Array.of(-3n, 5n))]).toEqual([-3, 5]);
    expect(() => toFloat32('F8_E4M3', new Uint8Array(1))).toThrow(/no float32 conversion/);
  });
});
