// Bits against torch in the C kernels of both builds (the SIMD one also through the tensor API):
// float16 storage widened to float32 gives torch's `.float()` bits for every special code (signalling
// NaNs made quiet with sign and payload kept, infinities, subnormals, ±0); relu keeps -0 and NaN
// payloads; max pooling returns a window's last NaN; maximum / minimum give torch's NaN and signed zeros. Goldens: test/fixtures/half_widening.json and
// ../tensor/test/golden/bit_copies.json, both written by tools/fixtures/tensor_bit_copies.py.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@gorch/tensor';
import { fromHalfBits, initWasmBackend } from '../src/index';
import { KernelModule } from '../src/kernel_module';
import { BinaryOp, UnaryOp, WeightFormat } from '../src/wasm_exports';

const half = JSON.parse(readFileSync(new URL('./fixtures/half_widening.json', import.meta.url), 'utf8')) as { float16: number[]; float32: number[] };
interface BitTensor { shape: number[]; bits: number[] }
const copies = JSON.parse(readFileSync(new URL('../../tensor/test/golden/bit_copies.json', import.meta.url), 'utf8')) as { cases: { name: string; inputs: BitTensor[]; out: BitTensor }[] };
const golden = (name: string) => copies.cases.find((c) => c.name === name)!;
const codes = Uint16Array.from(half.float16);
const f32 = (bits: number[]) => new Float32Array(Uint32Array.from(bits).buffer);
const u32 = (a: Float32Array) => Array.from(new Uint32Array(a.slice().buffer));

describe.each([
  { build: 'simd', simd: true },
  { build: 'scalar', simd: false },
])('$build build: torch bits', ({ simd }) => {
  let km: KernelModule;
  beforeAll(async () => {
    km = await KernelModule.load({ simd });
    expect(km.simd).toBe(simd);
  });

  it('gorch_widen float16 → float32, vector body and every tail length', () => {
    for (let n = 1; n <= codes.length; n++) {
      const src = km.alloc(codes.subarray(0, n)), dst = km.malloc(4 * n);
      km.exports.gorch_widen(WeightFormat.float16, n, src, dst);
      expect(u32(km.readF32(dst, n)), `n=${n}`).toEqual(half.float32.slice(0, n));
      km.free(src); km.free(dst);
    }
  });

  it('relu', () => {
    const c = golden('relu');
    const x = km.alloc(f32(c.inputs[0].bits)), n = c.out.bits.length;
    km.exports.gorch_unary(UnaryOp.relu, n, x, x);
    expect(u32(km.readF32(x, n))).toEqual(c.out.bits);
    km.free(x);
  });

  it.each([['maximum', BinaryOp.maximum], ['minimum', BinaryOp.minimum], ['maximum_signed_zeros', BinaryOp.maximum], ['minimum_signed_zeros', BinaryOp.minimum]] as const)('%s (vector body and tail)', (name, op) => {
    const c = golden(name);
    const n = c.out.bits.length;
    const a = km.alloc(f32(c.inputs[0].bits)), b = km.alloc(f32(c.inputs[1].bits)), out = km.malloc(4 * n);
    const shape = km.alloc(Int32Array.of(n)), stride = km.alloc(Int32Array.of(1));
    km.exports.gorch_binary(op, 1, shape, a, stride, b, stride, out);
    expect(u32(km.readF32(out, n))).toEqual(c.out.bits);
    [a, b, out, shape, stride].forEach((p) => km.free(p));
  });

  it.each([['max_pool2d', [2, 2, 2, 2, 0, 0]], ['max_pool2d_padded', [3, 3, 2, 2, 1, 1]]] as const)('%s', (name, [kh, kw, sh, sw, ph, pw]) => {
    const c = golden(name);
    const [N, C, H, W] = c.inputs[0].shape;
    const x = km.alloc(f32(c.inputs[0].bits)), out = km.malloc(4 * c.out.bits.length);
    const p = km.alloc(Int32Array.of(N, C, H, W, kh, kw, sh, sw, ph, pw, 1, 1));
    km.exports.gorch_max_pool2d(p, x, out);
    expect(u32(km.readF32(out, c.out.bits.length))).toEqual(c.out.bits);
    km.free(x); km.free(out); km.free(p);
  });
});

describe('float16 storage through the tensor API (wasm backend)', () => {
  beforeAll(async () => {
    await initWasmBackend();
    T.setBackend('wasm');
  });
  afterAll(() => T.setBackend('js'));
  const bitsOf = (t: T.Tensor) => u32(t.dataSync() as Float32Array);

  it('dataSync of float16 storage', () => expect(bitsOf(fromHalfBits(codes, [codes.length], 'float16'))).toEqual(half.float32));

  it('embedding rows gathered from a float16 table', () => {
    const table = fromHalfBits(codes, [4, 4], 'float16');
    const ids = T.tensor(Int32Array.of(3, 0, 2, 1), { dtype: 'int32' });
    expect(bitsOf(T.embedding(ids, table))).toEqual([3, 0, 2, 1].flatMap((r) => half.float32.slice(4 * r, 4 * r + 4)));
  });
});
