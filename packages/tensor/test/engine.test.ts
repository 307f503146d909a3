import { afterEach, describe, expect, it } from 'vitest';
import * as g from '@gorch/tensor';
import { availableBackends } from './util';

describe('scopes and lifetimes', () => {
  it('tidy disposes intermediates and keeps the result (sync)', () => {
    const before = g.numTensors();
    const y = g.tidy(() => g.ones([2, 2]).add(1).mul(3));
    expect(g.numTensors()).toBe(before + 1);
    expect(y.toArray()).toEqual([[6, 6], [6, 6]]);
    y.dispose();
    expect(g.numTensors()).toBe(before);
  });

  it('tidy works with async functions and keeps returned containers', async () => {
    const before = g.numTensors();
    const out = await g.tidy(async () => {
      const a = g.ones([3]);
      await new Promise((r) => setTimeout(r, 5));
      const b = a.mul(2);
      return { b, list: [b.add(1)] };
    });
    expect(g.numTensors()).toBe(before + 2);
    expect(out.list[0].toArray()).toEqual([3, 3, 3]);
    g.dispose(out);
    expect(g.numTensors()).toBe(before);
  });

  it('concurrent async tidies do not dispose each other\'s tensors', async () => {
    const before = g.numTensors();
    const slow = g.tidy(async () => {
      const a = g.full([2], 5);
      await new Promise((r) => setTimeout(r, 20));
      return a.add(1);
    });
    const fast = g.tidy(async () => g.full([2], 7).mul(1));
    const [s, f] = await Promise.all([slow, fast]);
    expect(s.toArray()).toEqual([6, 6]);
    expect(f.toArray()).toEqual([7, 7]);
    g.dispose([s, f]);
    expect(g.numTensors()).toBe(before);
  });

  it('keep survives tidy; nested tidy hands results to the parent', () => {
    let kept!: g.Tensor;
    const before = g.numTensors();
    g.tidy(() => {
      kept = g.keep(g.zeros([1]));
      const inner = g.tidy(() => g.ones([1]).add(1));
      expect(inner.isDisposed).toBe(false);
    });
    expect(kept.isDisposed).toBe(false);
    expect(g.numTensors()).toBe(before + 1);
    kept.dispose();
  });

  it('a tensor from outside returned by an inner tidy is not adopted by the outer scope', () => {
    const weight = g.ones([2]);
    g.tidy(() => {
      const same = g.tidy(() => weight);
      expect(same).toBe(weight);
    });
    expect(weight.isDisposed).toBe(false);
    weight.dispose();
  });

  it('tidy disposes even when fn throws', () => {
    const before = g.numTensors();
    expect(() => g.tidy(() => { g.ones([4]); throw new Error('boom'); })).toThrow('boom');
    expect(g.numTensors()).toBe(before);
  });

  it('views share storage; storage is freed with the last view', () => {
    const dataIds = g.engine.numDataIds();
    const a = g.arange(6);
    const b = a.reshape(2, 3);
    expect(g.engine.numDataIds()).toBe(dataIds + 1);
    a.dispose();
    expect(b.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    b.dispose();
    expect(g.engine.numDataIds()).toBe(dataIds);
  });

  it('Symbol.dispose releases the tensor', () => {
    const before = g.numTensors();
    {
      using t = g.ones([2]);
      expect(t.size).toBe(2);
    }
    expect(g.numTensors()).toBe(before);
  });

  it('using a disposed tensor throws E_DISPOSED', () => {
    const t = g.ones([2]);
    t.dispose();
    expect(() => t.add(1)).toThrow(expect.objectContaining({ code: 'E_DISPOSED' }));
    expect(() => t.dataSync()).toThrow(g.GorchError);
  });

  it('number operands do not leak', () => {
    const x = g.ones([3]);
    const before = g.numTensors();
    const y = x.add(2).mul(0.5);
    expect(g.numTensors()).toBe(before + 2);
    g.dispose([x, y]);
  });
});

describe('recorder hook', () => {
  afterEach(() => g.engine.setRecorder(null));

  it('sees every kernel with a requiresGrad input, not inside withRecording(false)', () => {
    const seen: string[] = [];
    g.engine.setRecorder((r) => seen.push(`${r.kernelName}:${r.inputs.length}->${r.outputs[0].shape.join('x')}`));
    const x = g.ones([2, 3]);
    x.requiresGrad = true;
    x.mul(2);
    g.ones([2]).add(1);
    g.engine.withRecording(false, () => x.exp());
    g.exp(x);
    expect(seen[0]).toBe('Mul:2->2x3');
    expect(seen.filter((s) => s.startsWith('Exp'))).toEqual(['Exp:1->2x3']);
    expect(seen.some((s) => s.startsWith('Add'))).toBe(false);
  });

  it('backward() without autograd is a clear error', () => {
    expect(() => g.ones([]).backward()).toThrow(expect.objectContaining({ code: 'E_NO_AUTOGRAD' }));
  });
});

describe('backends and the JS fallback', () => {
  it('a backend without kernels falls back to the js kernels; data is read via the owning backend', () => {
    class MapBackend implements g.Backend {
      readonly name = 'test-map';
      private m = new Map<object, g.TypedArray>();
      reads = 0;
      write(v: g.TypedArray): object { const id = {}; this.m.set(id, v.slice()); return id; }
      read(id: object): g.TypedArray { this.reads++; return this.m.get(id)!.slice(); }
      disposeData(id: object): void { this.m.delete(id); }
      numDataIds(): number { return this.m.size; }
      memory(): g.BackendMemory { return { numDataIds: this.m.size, numBytes: 0 }; }
    }
    const inst = new MapBackend();
    g.registerBackend('test-map', () => inst, 0);
    const onJs = g.tensor([1, 2, 3]);
    g.setBackend('test-map');
    try {
      const onMap = g.tensor([10, 20, 30]);
      const sum = g.add(onJs, onMap);
      expect(sum.backend.name).toBe('test-map');
      expect(inst.reads).toBeGreaterThan(0);
      expect(sum.toArray()).toEqual([11, 22, 33]);
      // a backend kernel replaces the js one for that backend only
      g.registerKernel({ kernelName: g.KernelName.Neg, backendName: 'test-map', kernelFunc: ({ inputs }) => ({ values: new Float32Array(inputs[0].shape[0]).fill(42), shape: inputs[0].shape, dtype: 'float32' }) });
      expect(g.neg(onJs).toArray()).toEqual([42, 42, 42]);
      g.setBackend('js');
      expect(g.neg(onJs).toArray()).toEqual([-1, -2, -3]);
    } finally {
      g.setBackend('js');
      g.unregisterKernel(g.KernelName.Neg, 'test-map');
      g.removeBackend('test-map');
    }
    expect(availableBackends()).not.toContain('test-map');
  });

  it('unknown backend and kernel names are typed errors', () => {
    expect(() => g.setBackend('nope')).toThrow(expect.objectContaining({ code: 'E_BACKEND' }));
    expect(() => g.engine.runKernel('NoSuchKernel', [])).toThrow(expect.objectContaining({ code: 'E_NO_KERNEL' }));
  });
});
