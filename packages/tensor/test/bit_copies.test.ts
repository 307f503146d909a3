// Ops whose results are input elements, moved or with only the sign bit changed, give torch's exact
// bits: signalling NaNs (a JS number round trip would quiet them), NaN signs and payloads, -0,
// subnormals; relu keeps -0 and NaN; max pooling returns a window's last NaN. Goldens:
// test/golden/bit_copies.json, written by tools/fixtures/tensor_bit_copies.py (run with /usr/bin/python3).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as g from '@gorch/tensor';
import { availableBackends } from './util';

interface BitTensor { shape: number[]; bits?: number[]; ints?: number[] }
interface BitCase { name: string; inputs: BitTensor[]; out: BitTensor }
const golden = JSON.parse(readFileSync(new URL('./golden/bit_copies.json', import.meta.url), 'utf8'));
const cases = new Map<string, BitCase>((golden.cases as BitCase[]).map((c) => [c.name, c]));

const fromBits = (t: BitTensor): g.Tensor =>
  t.bits ? g.tensor(new Float32Array(Uint32Array.from(t.bits).buffer), { shape: t.shape }) : g.tensor(Int32Array.from(t.ints!), { shape: t.shape, dtype: 'int32' });
const bitsOf = (t: g.Tensor): number[] => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

const ops: Record<string, (...xs: g.Tensor[]) => g.Tensor> = {
  transpose_2d: (x) => g.transpose(x, 0, 1),
  transpose_2d_tiles: (x) => g.transpose(x, 0, 1),
  permute_3d: (x) => g.permute(x, [2, 0, 1]),
  broadcast_to: (x) => g.broadcastTo(x, [3, 2, 6]),
  broadcast_scalar: (x) => g.expand(x, [2, 3]),
  tril: (x) => g.tril(x, 1),
  triu: (x) => g.triu(x),
  where_same: (c, a, b) => g.where(c, a, b),
  where_broadcast: (c, a, b) => g.where(c, a, b),
  where_mixed_dtypes: (c, a, b) => g.where(c, a, b),
  masked_fill_causal: (x, m) => g.maskedFill(x, m, -Infinity),
  gather: (x, i) => g.gather(x, 1, i),
  index_select: (x, i) => g.indexSelect(x, 0, i),
  embedding: (i, w) => g.embedding(i, w),
  cat: (a, b) => g.cat([a, b], 1),
  slice: (x) => g.slice(x, 1, 1, 4),
  clone: (x) => g.clone(x),
  im2col_padded: (x) => g.im2col(x, 2, { padding: 1 }),
  relu: (x) => g.relu(x),
  neg: (x) => g.neg(x),
  abs: (x) => g.abs(x),
  maximum: (a, b) => g.maximum(a, b),
  minimum: (a, b) => g.minimum(a, b),
  maximum_signed_zeros: (a, b) => g.maximum(a, b),
  minimum_signed_zeros: (a, b) => g.minimum(a, b),
  max_pool2d: (x) => g.maxPool2d(x, 2),
  max_pool2d_padded: (x) => g.maxPool2d(x, 3, { stride: 2, padding: 1 }),
};

describe.each(availableBackends())('bit-exact copies vs PyTorch on backend %s', (backend) => {
  beforeAll(() => g.setBackend(backend));
  afterAll(() => g.setBackend('js'));

  it.each(Object.keys(ops))('%s', (name) => {
    const c = cases.get(name);
    if (!c) throw new Error(`golden case '${name}' missing: rerun tools/fixtures/tensor_bit_copies.py`);
    const out = ops[name](...c.inputs.map(fromBits));
    expect(out.shape, `${name}: shape`).toEqual(c.out.shape);
    const got = bitsOf(out), want = c.out.bits!;
    const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) expect.fail(`${name}[${i}]: got ${hex(got[i])}, want ${hex(want[i])}`);
  });

  it('every golden case is exercised', () => expect([...cases.keys()].sort()).toEqual(Object.keys(ops).sort()));
});
