// Tensor.dataSync() hands the caller an array it owns: on the js backend (read() returns the storage
// itself) it must copy, and on a backend that declares Backend.readReturnsCopy it must pass read()'s
// fresh array through without a second copy. The wasm backend's side is in
// packages/kernels-wasm/test/backend.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as g from '@gorch/tensor';

describe('dataSync ownership', () => {
  afterEach(() => {
    g.setBackend('js');
    g.removeBackend('copying-js');
  });

  it('on js returns a copy: mutating it leaves the tensor unchanged', () => {
    g.setBackend('js');
    const t = g.tensor([1.5, -2, 3.25, 4], { shape: [2, 2] });
    const a = t.dataSync();
    a[0] = 99;
    a.fill(7, 1);
    expect(Array.from(t.dataSync())).toEqual([1.5, -2, 3.25, 4]);
    expect(t.toArray()).toEqual([[1.5, -2], [3.25, 4]]);
    expect(t.dataSync()).not.toBe(t.dataSync());
    t.dispose();
  });

  it('passes read() through unchanged when the backend declares readReturnsCopy', () => {
    const inner = new g.JsBackend();
    const copying: g.Backend = {
      name: 'copying-js',
      readReturnsCopy: true,
      write: (v, s, d) => inner.write(v, s, d),
      read: (id) => inner.read(id).slice(),
      disposeData: (id) => inner.disposeData(id),
      numDataIds: () => inner.numDataIds(),
      memory: () => inner.memory(),
    };
    const read = vi.spyOn(copying, 'read');
    g.registerBackend('copying-js', () => copying, 0);
    g.setBackend('copying-js');
    const t = g.tensor([5, 6, 7], { dtype: 'int32' });
    const a = t.dataSync();
    expect(read).toHaveBeenCalledTimes(1);
    expect(a).toBe(read.mock.results[0].value); // no second copy
    a[1] = -1;
    expect(Array.from(t.dataSync())).toEqual([5, 6, 7]);
    t.dispose();
  });
});
