import { describe, expect, it } from 'vitest';
import { DtypeError, ShapeError, engine, getBackendName, registeredBackends, setBackend, tensor } from '../src/index';

const initial = getBackendName();

describe.each(registeredBackends())('engine.assign on backend %s', (backend) => {
  it('keeps the target object, gives it the source values and frees the old storage', () => {
    setBackend(backend);
    try {
      const before = engine.numDataIds();
      const target = tensor([1, 2, 3]);
      target.requiresGrad = true;
      const source = tensor([4, 5, 6]);
      engine.assign(target, source);
      expect([...target.dataSync()]).toEqual([4, 5, 6]);
      expect(target.requiresGrad).toBe(true);
      expect(engine.numDataIds()).toBe(before + 1);
      source.dispose();
      expect([...target.dataSync()]).toEqual([4, 5, 6]);
      target.dispose();
      expect(engine.numDataIds()).toBe(before);
      const a = tensor([1, 2]);
      expect(() => engine.assign(a, tensor([1, 2, 3]))).toThrow(ShapeError);
      expect(() => engine.assign(a, tensor(new Int32Array([1, 2])))).toThrow(DtypeError);
    } finally {
      setBackend(initial);
    }
  });
});
