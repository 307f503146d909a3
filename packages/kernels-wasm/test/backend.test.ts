// The 'wasm' backend inside @gorch/tensor: each op runs on 'js' and on 'wasm' with the same inputs
// and must agree within float tolerance (the JS kernels are the reference; they are checked against
// PyTorch goldens in packages/tensor/test). Also: fallback, storage lifetime, heap growth.
import * as T from '@gorch/tensor';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { capabilities, fromHalfBits, initWasmBackend, repack, storageFormat, storageLayout, toHalfStorage, WasmBackend } from '../src/index';
import { maxRelErr, numberToBf16, randn, rng } from './reference';

beforeAll(async () => {
  await initWasmBackend();
});
afterAll(() => T.setBackend('js'));

/** Runs `fn` on both backends with fresh inputs built from `data`; returns [js, wasm] values. */
function onBoth(inputs: { values: Float32Array | Int32Array; shape: number[] }[], fn: (...xs: T.Tensor[]) => T.Tensor): [Float32Array | Int32Array, Float32Array | Int32Array, T.Tensor['shape'][]] {
  const outs: (Float32Array | Int32Array)[] = [];
  const shapes: T.Tensor['shape'][] = [];
  for (const be of ['js', 'wasm']) {
    T.setBackend(be);
    const xs = inputs.map((i) => T.tensor(i.values.slice(), { shape: i.shape, dtype: i.values instanceof Int32Array ? 'int32' : 'float32' }));
    const y = fn(...xs);
    expect(y.backend.name).toBe(be);
    outs.push(y.dataSync().slice());
    shapes.push(y.shape);
    y.dispose();
    xs.forEach((x) => x.dispose());
  }
  T.setBackend('wasm');
  return [outs[0], outs[1], shapes];
}

const r = rng(42);
const f = (...shape: number[]) => ({ values: randn(shape.reduce((p, q) => p * q, 1), r), shape });

describe('wasm backend', () => {
  it('is active after init and reports SIMD, threads and why', () => {
    expect(T.getBackendName()).toBe('wasm');
    const c = capabilities();
    expect(c).toMatchObject({ loaded: true, simd: true });
    expect(c.threads).toBe(c.threadCount > 1);
    expect(c.threadsReason.length).toBeGreaterThan(10);
  });

  const cases: [string, { values: Float32Array | Int32Array; shape: number[] }[], (...x: T.Tensor[]) => T.Tensor, number][] = [
    ['add broadcast row', [f(7, 17), f(17)], (a, b) => T.add(a, b), 0],
    ['sub broadcast column', [f(7, 17), f(7, 1)], (a, b) => T.sub(a, b), 0],
    ['mul 3-D broadcast', [f(3, 1, 5), f(1, 4, 5)], (a, b) => T.mul(a, b), 0],
    ['div scalar', [f(129)], (a) => T.div(a, 3), 0],
    ['maximum', [f(2, 3, 4), f(3, 1)], (a, b) => T.maximum(a, b), 0],
    ['minimum', [f(17), f(17)], (a, b) => T.minimum(a, b), 0],
    ['exp', [f(1000)], (a) => T.exp(a), 1e-6],
    ['tanh', [f(1000)], (a) => T.tanh(a), 1e-5],
    ['sigmoid', [f(1000)], (a) => T.sigmoid(a), 1e-6],
    ['relu', [f(33)], (a) => T.relu(a), 0],
    ['gelu', [f(1000)], (a) => T.gelu(a), 1e-5],
    ['gelu tanh', [f(1000)], (a) => T.gelu(a, { approximate: 'tanh' }), 1e-5],
    ['matmul 2-D odd', [f(17, 129), f(129, 7)], (a, b) => T.matmul(a, b), 1e-5],
    ['matmul batched broadcast', [f(2, 1, 5, 9), f(3, 9, 4)], (a, b) => T.matmul(a, b), 1e-5],
    ['matmul vector x matrix', [f(129), f(129, 17)], (a, b) => T.matmul(a, b), 1e-5],
    ['matmul matrix x vector', [f(17, 129), f(129)], (a, b) => T.matmul(a, b), 1e-5],
    ['matmul one row', [f(1, 300), f(300, 1000)], (a, b) => T.matmul(a, b), 1e-5],
    ['linear with bias', [f(2, 5, 129), f(17, 129), f(17)], (x, w, b) => T.linear(x, w, b), 1e-5],
    ['linear one row', [f(1, 768), f(100, 768)], (x, w) => T.linear(x, w), 1e-5],
    ['softmax last axis', [f(3, 1000)], (x) => T.softmax(T.mul(x, 10), -1), 1e-5],
    ['softmax axis 0 (falls back)', [f(3, 7)], (x) => T.softmax(x, 0), 1e-6],
    ['logSoftmax', [f(4, 17)], (x) => T.logSoftmax(x, -1), 1e-5],
    ['layerNorm', [f(3, 129), f(129), f(129)], (x, w, b) => T.layerNorm(x, 129, w, b), 1e-4],
    ['embedding gather', [f(50, 17), { values: Int32Array.from([3, 0, 49, 3]), shape: [4] }], (w, i) => T.indexSelect(w, 0, i), 0],
    ['transpose 3-D', [f(3, 5, 7)], (x) => T.permute(x, [2, 0, 1]), 0],
    ['broadcastTo', [f(5, 1)], (x) => T.broadcastTo(x, [2, 5, 3]), 0],
    ['slice middle axis', [f(3, 7, 5)], (x) => T.slice(x, 1, 2, 6), 0],
    ['concat axis 1', [f(2, 3, 4), f(2, 5, 4)], (a, b) => T.cat([a, b], 1), 0],
    ['clone', [f(17)], (x) => T.clone(x), 0],
    ['int32 transpose', [{ values: Int32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] }], (x) => T.transpose(x, 0, 1), 0],
    ['sum (no wasm kernel: JS fallback)', [f(5, 7)], (x) => T.sum(x, 1), 0],
    ['int32 add (JS fallback)', [{ values: Int32Array.from([1, 2, 3]), shape: [3] }, { values: Int32Array.from([10, 20, 30]), shape: [3] }], (a, b) => T.add(a, b), 0],
  ];
  it.each(cases)('%s matches the js backend', (_name, inputs, fn, tol) => {
    const [js, wasm, shapes] = onBoth(inputs, fn);
    expect(shapes[1]).toEqual(shapes[0]);
    expect(wasm.constructor).toBe(js.constructor);
    if (tol === 0) expect(Array.from(wasm)).toEqual(Array.from(js));
    else expect(maxRelErr(wasm, js, 1e-3).err).toBeLessThan(tol * 100);
  });

  it('bad embedding index raises the JS kernel error, not a wasm trap', () => {
    const w = T.randn([5, 3]);
    expect(() => T.indexSelect(w, 0, T.tensor([1, 5], { dtype: 'int32' }))).toThrow(T.GorchError);
    w.dispose();
  });

  it('storage lives in the wasm heap and survives heap growth', () => {
    const be = T.getBackend() as WasmBackend;
    expect(be).toBeInstanceOf(WasmBackend);
    const a = T.tensor([1, 2, 3]);
    const before = be.km.heapBytes();
    const big = T.zeros([Math.ceil(before / 4) + 1024]); // grows the heap, detaching old views
    expect(be.km.heapBytes()).toBeGreaterThan(before);
    expect(Array.from(a.dataSync())).toEqual([1, 2, 3]);
    big.dispose();
    a.dispose();
  });

  it('a 100-token decoding loop leaves live tensors, buffers and heap size unchanged', () => {
    const be = T.getBackend() as WasmBackend;
    const [V, D] = [97, 64];
    const wte = T.randn([V, D]);
    const w1 = T.randn([4 * D, D]), b1 = T.randn([4 * D]), w2 = T.randn([D, 4 * D]);
    const g = T.ones([D]), bt = T.zeros([D]);
    let cache = T.zeros([0, D]);
    let tok = 1;
    const step = () => {
      const next = T.tidy(() => {
        const x = T.indexSelect(wte, 0, [tok]);
        const h = T.add(x, T.linear(T.gelu(T.linear(T.layerNorm(x, D, g, bt), w1, b1), { approximate: 'tanh' }), w2));
        const kv = T.cat([cache, h], 0);
        const att = T.softmax(T.div(T.matmul(h, T.transpose(kv, 0, 1)), Math.sqrt(D)), -1);
        const ctx = T.matmul(att, kv);
        const logits = T.matmul(ctx, T.transpose(wte, 0, 1));
        return { kv, id: T.argmax(logits, -1) };
      });
      cache.dispose();
      cache = next.kv;
      tok = next.id.dataSync()[0];
      next.id.dispose();
    };
    step(); // warm-up: first allocations size the heap
    const tensors = T.numTensors(), heap = be.km.heapBytes();
    for (let i = 0; i < 100; i++) {
      cache.dispose();
      cache = T.zeros([0, D]); // fixed-size loop: the cache restarts so memory must not creep
      step();
    }
    expect(T.numTensors()).toBe(tensors);
    expect(be.km.heapBytes()).toBe(heap);
    for (const t of [wte, w1, b1, w2, g, bt, cache]) t.dispose();
  });

  it('async tidy frees wasm storage of intermediates', async () => {
    const be = T.getBackend() as WasmBackend;
    const n0 = be.numDataIds();
    const kept = await T.tidy(async () => {
      const a = T.randn([10, 10]);
      await new Promise((res) => setTimeout(res, 1));
      return T.exp(T.matmul(a, a));
    });
    expect(be.numDataIds()).toBe(n0 + 1);
    kept.dispose();
    expect(be.numDataIds()).toBe(n0);
  });

  it('bf16 / f16 weight storage halves memory and matches float32 on rounded weights', () => {
    const be = T.getBackend() as WasmBackend;
    for (const format of ['bfloat16', 'float16'] as const) {
      const W = T.randn([300, 768]);
      const x = T.randn([1, 768]);
      const bytes0 = be.memory().numBytes;
      const Wh = toHalfStorage(W, format);
      expect(storageFormat(Wh)).toBe(format);
      expect(be.memory().numBytes - bytes0).toBe(300 * 768 * 2);
      const rounded = T.tensor(Wh.dataSync(), { shape: [300, 768] }); // read() widens exactly
      if (format === 'bfloat16') {
        const w = W.dataSync(), h = rounded.dataSync();
        for (let i = 0; i < 50; i++) expect(Math.abs(h[i] - w[i])).toBeLessThanOrEqual(Math.abs(w[i]) * 2 ** -8);
      }
      for (const rows of [1, 3, 20]) {
        const xr = T.randn([rows, 768]);
        // outputs are sums of 768 products of N(0,1) values (scale ~28): allclose(rtol=1e-4, atol=1e-4)
        const want = T.linear(xr, rounded).dataSync();
        const got = T.linear(xr, Wh).dataSync();
        expect(maxRelErr(got, want, 1).err, `${format} rows=${rows}`).toBeLessThan(1e-4);
        xr.dispose();
      }
      const ids = T.tensor([3, 0, 299], { dtype: 'int32' });
      expect(Array.from(T.indexSelect(Wh, 0, ids).dataSync())).toEqual(Array.from(T.indexSelect(rounded, 0, ids).dataSync()));
      for (const t of [W, x, Wh, rounded, ids]) t.dispose();
    }
  });

  it.each([['float32'], ['bfloat16'], ['float16']] as const)('transposed %s storage: same values everywhere, linear and embedding read it in place', (format) => {
    const W = T.randn([130, 77]);
    const ref = format === 'float32' ? T.clone(W) : toHalfStorage(W, format);
    const Wt = repack(W, { format, transposed: true });
    expect(storageFormat(Wt)).toBe(format);
    expect(Array.from(Wt.dataSync())).toEqual(Array.from(ref.dataSync()));
    for (const rows of [1, 2, 9]) {
      const x = T.randn([rows, 77]);
      expect(maxRelErr(T.linear(x, Wt).dataSync(), T.linear(x, ref).dataSync(), 1).err, `linear rows=${rows}`).toBeLessThan(1e-4);
      const x2 = T.randn([rows, 130]);
      expect(maxRelErr(T.matmul(x2, Wt).dataSync(), T.matmul(x2, ref).dataSync(), 1).err, `matmul rows=${rows}`).toBeLessThan(1e-4);
      x.dispose(); x2.dispose();
    }
    const ids = T.tensor([0, 129, 5], { dtype: 'int32' });
    expect(Array.from(T.indexSelect(Wt, 0, ids).dataSync())).toEqual(Array.from(T.indexSelect(ref, 0, ids).dataSync()));
    expect(Array.from(T.add(Wt, 1).dataSync())).toEqual(Array.from(T.add(ref, 1).dataSync()));
    expect(Array.from(T.transpose(Wt, 0, 1).dataSync())).toEqual(Array.from(T.transpose(ref, 0, 1).dataSync()));
    for (const t of [W, ref, Wt, ids]) t.dispose();
  });

  it.each([['float32'], ['bfloat16'], ['float16']] as const)('panel %s storage: same values everywhere, 1-row linear bit-identical to rows, embedding in place', (format) => {
    // odd shapes: a partial last group of 8 rows and a K tail shorter than the 16-byte chunk
    for (const [N, K] of [[130, 77], [7, 3], [8, 8], [17, 1], [24, 768]]) {
      const W = T.randn([N, K]);
      const ref = format === 'float32' ? T.clone(W) : toHalfStorage(W, format);
      const Wp = repack(W, { format, layout: 'panels' });
      expect(storageFormat(Wp)).toBe(format);
      expect(storageLayout(Wp)).toBe('panels');
      expect(Array.from(Wp.dataSync())).toEqual(Array.from(ref.dataSync()));
      // float32 rows: what a Linear with more than 8 rows used to unpack panels into before the gemm
      const wide = repack(Wp, { format: 'float32', layout: 'rows' });
      for (const rows of [1, 2, 9, 17, 64]) {
        const x = T.randn([rows, K]);
        const got = T.linear(x, Wp).dataSync(), want = T.linear(x, ref).dataSync();
        // same kernel and summation order as rows, except that row-major float32 with 2-8 rows takes the gemm
        if (rows === 1 || rows > 8 || format !== 'float32') expect(Array.from(got), `linear rows=${rows} [${N}, ${K}]`).toEqual(Array.from(want));
        else expect(maxRelErr(got, want, 1).err, `linear rows=${rows} [${N}, ${K}]`).toBeLessThan(1e-4);
        // the gemm packs panels in place: the same bits as unpacking them and running the float32 gemm
        if (rows > 8) expect(Array.from(got), `linear rows=${rows} [${N}, ${K}] vs float32 rows`).toEqual(Array.from(T.linear(x, wide).dataSync()));
        const x2 = T.randn([rows, N]);
        expect(maxRelErr(T.matmul(x2, Wp).dataSync(), T.matmul(x2, ref).dataSync(), 1).err, `matmul rows=${rows}`).toBeLessThan(1e-4);
        x.dispose(); x2.dispose();
      }
      const ids = T.tensor([0, N - 1, Math.floor(N / 2)], { dtype: 'int32' });
      expect(Array.from(T.indexSelect(Wp, 0, ids).dataSync())).toEqual(Array.from(T.indexSelect(ref, 0, ids).dataSync()));
      expect(() => T.indexSelect(Wp, 0, T.tensor([N], { dtype: 'int32' }))).toThrow(T.IndexError);
      expect(Array.from(T.transpose(Wp, 0, 1).dataSync())).toEqual(Array.from(T.transpose(ref, 0, 1).dataSync()));
      // back to rows in another format
      const back = repack(Wp, { format: 'float32' });
      expect(storageLayout(back)).toBe('rows');
      expect(Array.from(back.dataSync())).toEqual(Array.from(ref.dataSync()));
      for (const t of [W, ref, Wp, ids, back, wide]) t.dispose();
    }
  });

  it('repack rejects unknown or contradicting layouts and panels of non-matrices', () => {
    const v = T.randn([6]), m = T.randn([4, 4]);
    expect(() => repack(v, { layout: 'panels' })).toThrow(/panels storage needs a 2-D tensor/);
    expect(() => repack(m, { layout: 'diagonal' as never })).toThrow(/layout must be 'rows', 'transposed' or 'panels'/);
    expect(() => repack(m, { layout: 'panels', transposed: true })).toThrow(/contradicts/);
    expect(storageLayout(repack(m, { transposed: true }))).toBe('transposed');
    v.dispose(); m.dispose();
  });

  it('fromHalfBits wraps checkpoint bits without widening', () => {
    const vals = [1, -2.5, 0.15625, 3e38];
    const t = fromHalfBits(Uint16Array.from(vals, numberToBf16), [2, 2], 'bfloat16');
    expect(storageFormat(t)).toBe('bfloat16');
    expect(Array.from(t.dataSync())).toEqual([1, -2.5, 0.15625, new Float32Array(new Uint32Array([numberToBf16(3e38) << 16]).buffer)[0]]);
    t.dispose();
  });
});

// Backend.readReturnsCopy: WasmBackend.read already copies out of the heap, so dataSync hands that
// array out as is, and it is still the caller's to mutate. Values are the literals written, read
// back through every read path (float32, int32, transposed and half-width storage).
describe('dataSync on wasm', () => {
  it('returns read()\'s copy without a second one, which the caller may mutate', () => {
    T.setBackend('wasm');
    const be = T.findBackend('wasm');
    expect(be.readReturnsCopy).toBe(true);
    const vals = [1, -2.5, 3, 0.25, 5, -6];
    const cases: [T.Tensor, number[]][] = [
      [T.tensor(vals, { shape: [2, 3] }), vals],
      [T.tensor([7, -8, 9], { dtype: 'int32' }), [7, -8, 9]],
      [repack(T.tensor(vals, { shape: [2, 3] }), { transposed: true }), vals],
      [toHalfStorage(T.tensor(vals, { shape: [2, 3] }), 'bfloat16'), vals], // all exact in bfloat16
    ];
    const read = vi.spyOn(be, 'read');
    try {
      for (const [t, want] of cases) {
        read.mockClear();
        const a = t.dataSync();
        expect(read).toHaveBeenCalledTimes(1);
        expect(a).toBe(read.mock.results[0].value);
        expect(Array.from(a)).toEqual(want);
        a.fill(42);
        expect(Array.from(t.dataSync())).toEqual(want);
        expect(t.dataSync()).not.toBe(t.dataSync());
        t.dispose();
      }
    } finally {
      read.mockRestore();
    }
  });
});
