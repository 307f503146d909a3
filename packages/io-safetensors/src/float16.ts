import type { Dtype, TensorData } from './dtype.js';
import { SafetensorsError } from './errors.js';

/**
 * IEEE 754 binary16 (F16) and bfloat16 (BF16) ↔ float32, bit-exact.
 *
 * Widening is exact for every value (F16 through a 65,536-entry table, BF16 by a 16-bit shift);
 * narrowing rounds to nearest, ties to even, overflows to ±Inf, keeps subnormals, and keeps NaN a
 * NaN. NaNs follow torch: widening F16 keeps the sign and payload and sets the quiet bit, widening
 * BF16 is the bits << 16 (signalling NaNs stay signalling), both as `.float()` does; narrowing to F16
 * gives `.half()`'s sign | 0x7e00 (for BF16 see {@link encodeBf16}). Sources: IEEE 754-2019 §4.3.1 and §5.4.2; the bfloat16 rounding of PyTorch's
 * `c10::BFloat16` (`round_to_nearest_even`), checked against torch in the tests.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

let f16Table: Float32Array | undefined;

/** float32 value of every F16 bit pattern, built once (256 KB). */
function table(): Float32Array {
  if (f16Table) return f16Table;
  const t = new Float32Array(65536);
  const bits = new Uint32Array(t.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >> 10) & 0x1f;
    const man = h & 0x3ff;
    if (exp === 0x1f) bits[h] = sign | 0x7f800000 | (man ? 0x400000 | (man << 13) : 0); // NaNs come out quiet, as the hardware conversion torch uses does
    else if (exp !== 0) bits[h] = sign | ((exp + 112) << 23) | (man << 13);
    else if (man === 0) bits[h] = sign;
    else t[h] = (sign ? -1 : 1) * man * 2 ** -24;
  }
  return (f16Table = t);
}

/** The float32 value of F16 bits `h` (0..65535). */
export function f16ToF32(h: number): number {
  return table()[h & 0xffff]!;
}

/** The float32 value of BF16 bits `b` (0..65535). */
export function bf16ToF32(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}

/** F16 bits of `x` after rounding to float32 then to F16 (round to nearest, ties to even; NaN -> sign | 0x7e00). */
export function f32ToF16(x: number): number {
  f32[0] = x;
  return f32BitsToF16(u32[0]!);
}

/** BF16 bits of `x` after rounding to float32 then to BF16 (round to nearest, ties to even; NaN: see {@link encodeBf16}). */
export function f32ToBf16(x: number): number {
  f32[0] = x;
  return f32BitsToBf16(u32[0]!);
}

function f32BitsToF16(w: number): number {
  const sign = (w >>> 16) & 0x8000;
  const abs = w & 0x7fffffff;
  // NaN: torch's `.half()` (c10::detail::fp16_ieee_from_fp32_value) keeps only the sign, so
  // 0xffc12345 -> 0xfe00 and 0x7fbfffff -> 0x7e00 (the payload is dropped, not truncated)
  if (abs >= 0x7f800000) return abs > 0x7f800000 ? sign | 0x7e00 : sign | 0x7c00;
  if (abs >= 0x477ff000) return sign | 0x7c00; // ≥ 65520 rounds past the largest F16, 65504
  if (abs < 0x38800000) {
    // F16 subnormal (or zero): value / 2^-24, rounded to nearest even as an integer.
    if (abs < 0x33000000) return sign; // below half the smallest subnormal
    const exp = abs >>> 23;
    const man = (abs & 0x7fffff) | 0x800000;
    const shift = 126 - exp; // 14..24
    const q = man >>> shift;
    const rem = man & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    return sign | (q + (rem > half || (rem === half && q & 1) ? 1 : 0));
  }
  // Normal: rebias the exponent, round 13 dropped bits to nearest even (a carry may bump the exponent).
  const r = abs - 0x38000000;
  return sign | ((r + 0xfff + ((r >>> 13) & 1)) >>> 13);
}

function f32BitsToBf16(w: number): number {
  // NaN: the top 16 bits with the quiet bit set (sign and top payload bits kept); torch has no single answer to match (see encodeBf16)
  if ((w & 0x7fffffff) > 0x7f800000) return ((w >>> 16) | 0x40) & 0xffff;
  return ((w + 0x7fff + ((w >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Decodes F16 bits into `out` (a new Float32Array when omitted), bit for bit as torch's `.float()`. */
export function decodeF16(bits: Uint16Array, out = new Float32Array(bits.length)): Float32Array {
  // copied as 32-bit words: a float read into a JS number and stored back may change a NaN's bits
  const t = table();
  const tw = new Uint32Array(t.buffer);
  const o = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < bits.length; i++) o[i] = tw[bits[i]!]!;
  return out;
}

/** Decodes BF16 bits into `out` (a new Float32Array when omitted). */
export function decodeBf16(bits: Uint16Array, out = new Float32Array(bits.length)): Float32Array {
  const o = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < bits.length; i++) o[i] = bits[i]! << 16;
  return out;
}

/** Encodes float32 values as F16 bits (round to nearest, ties to even; NaN -> sign | 0x7e00, as torch's `.half()`). */
export function encodeF16(values: Float32Array): Uint16Array {
  const w = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < w.length; i++) out[i] = f32BitsToF16(w[i]!);
  return out;
}

/**
 * Encodes float32 values as BF16 bits (round to nearest, ties to even). A NaN keeps its sign and top
 * payload bits with the quiet bit set (0x7f800001 -> 0x7fc0, 0xffc12345 -> 0xffc1). torch 1.13 is not
 * consistent here, so no single torch result is matched: its scalar `c10::BFloat16` conversion gives
 * 0x7fc0 for every NaN, while `tensor.bfloat16()` on CPU (the vectorized path) gives 0xffff.
 */
export function encodeBf16(values: Float32Array): Uint16Array {
  const w = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < w.length; i++) out[i] = f32BitsToBf16(w[i]!);
  return out;
}

/**
 * A tensor's data as float32 values.
 *
 * F16/BF16 bits are decoded exactly; F32 is returned as is (no copy); F64 and integer dtypes are
 * converted with float32 rounding (I64/U64 through `Number`, exact below 2^53); BOOL and U8 are
 * their byte values. FP8, sub-byte and C64 data throw InvalidTensorView (no float32 meaning here).
 */
export function toFloat32(dtype: Dtype, data: TensorData): Float32Array {
  switch (dtype) {
    case 'F32':
      return data as Float32Array;
    case 'F16':
      return decodeF16(data as Uint16Array);
    case 'BF16':
      return decodeBf16(data as Uint16Array);
    case 'F64': case 'I32': case 'U32': case 'I16': case 'U16': case 'I8': case 'U8': case 'BOOL':
      return Float32Array.from(data as Float64Array);
    case 'I64': case 'U64': {
      const src = data as BigInt64Array;
      const out = new Float32Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = Number(src[i]!);
      return out;
    }
    default:
      throw new SafetensorsError('InvalidTensorView', `toFloat32: dtype ${dtype} has no float32 conversion here`);
  }
}
