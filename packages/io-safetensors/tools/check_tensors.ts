import { f32ToBf16, f32ToF16, type TensorInput } from '../src/index.js';

/**
 * The tensors of the PyTorch interop check: every dtype, 0-d and zero-size shapes, ±0/±Inf/NaN,
 * integer extremes, and names whose UTF-8 and UTF-16 orders differ. tools/fixtures/safetensors_check.py
 * builds the same values with torch; keep the two in step.
 */
export function checkTensors(): Map<string, TensorInput> {
  const formula = (n: number) => Array.from({ length: n }, (_, i) => (((i * 37) % 101) - 50) / 8);
  const half = (xs: number[]) => Uint16Array.from(xs, f32ToF16);
  const bf = (xs: number[]) => Uint16Array.from(xs, f32ToBf16);
  return new Map<string, TensorInput>([
    ['a.weight', { dtype: 'F32', shape: [3, 4], data: Float32Array.from(formula(12)) }],
    ['specials.f32', { dtype: 'F32', shape: [8], data: Float32Array.of(0, -0, Infinity, -Infinity, NaN, 2 ** -149, 3.4028234663852886e38, -1.5) }],
    ['half', { dtype: 'F16', shape: [2, 3], data: half(formula(6)) }],
    ['half.specials', { dtype: 'F16', shape: [7], data: half([0, -0, Infinity, -Infinity, NaN, 2 ** -24, 65504]) }],
    ['bf', { dtype: 'BF16', shape: [5], data: bf(formula(5)) }],
    ['bf.specials', { dtype: 'BF16', shape: [4], data: bf([-0, Infinity, -Infinity, 2 ** -133]) }],
    ['double', { dtype: 'F64', shape: [2, 2], data: Float64Array.from([0, 1, 2, 3], (i) => (i - 1) / 3) }],
    ['ids', { dtype: 'I64', shape: [4], data: BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 0n, -5n) }],
    ['i32', { dtype: 'I32', shape: [3], data: Int32Array.of(-(2 ** 31), 2 ** 31 - 1, 7) }],
    ['i16', { dtype: 'I16', shape: [2], data: Int16Array.of(-32768, 32767) }],
    ['i8', { dtype: 'I8', shape: [3], data: Int8Array.of(-128, 127, 0) }],
    ['u8', { dtype: 'U8', shape: [2, 2], data: Uint8Array.of(0, 255, 1, 128) }],
    ['mask', { dtype: 'BOOL', shape: [3], data: Uint8Array.of(1, 0, 1) }],
    ['scalar', { dtype: 'F32', shape: [], data: Float32Array.of(2.5) }],
    ['empty', { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) }],
    ['u16', { dtype: 'U16', shape: [2], data: Uint16Array.of(0, 65535) }],
    ['u32', { dtype: 'U32', shape: [2], data: Uint32Array.of(0, 4294967295) }],
    ['u64', { dtype: 'U64', shape: [1], data: BigUint64Array.of(2n ** 64n - 1n) }],
    ['fp8', { dtype: 'F8_E4M3', shape: [4], data: Uint8Array.of(0x00, 0x38, 0x7e, 0xff) }],
    ['é.ü', { dtype: 'F32', shape: [1], data: Float32Array.of(1) }],
    ['😀', { dtype: 'F32', shape: [1], data: Float32Array.of(2) }],
    ['\uff21', { dtype: 'F32', shape: [1], data: Float32Array.of(3) }],
    ['q"\\\n', { dtype: 'F32', shape: [1], data: Float32Array.of(4) }],
  ]);
}

export const CHECK_METADATA = { format: 'pt', note: 'gorch ✓ "x"' };
