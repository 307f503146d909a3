// registerGradient for a kernel gorch does not ship, and the unbroadcast rule checked on random shapes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as g from '@gorch/tensor';
import { backward, getGradient, registerGradient } from '../src/index';

describe('registerGradient', () => {
  it('a recorded kernel without a gradient fails clearly; registering one makes backward work', () => {
    // x ↦ x³ as a custom JS kernel: d/dx = 3x² (closed form).
    g.registerKernel({
      kernelName: 'TestCube',
      backendName: 'js',
      kernelFunc: ({ inputs }) => ({ values: Float32Array.from(g.readInput(inputs[0]), (v) => v * v * v), shape: inputs[0].shape, dtype: 'float32' }),
    });
    const x = g.tensor([1, -2, 3]);
    x.requiresGrad = true;
    const y = g.engine.runKernel('TestCube', [x]);
    let code: string | undefined;
    try {
      backward(y, g.ones([3]));
    } catch (e) {
      code = (e as g.GorchError).code;
      expect((e as Error).message).toContain("'TestCube'");
    }
    expect(code).toBe('E_NO_GRADIENT');
    registerGradient({ kernelName: 'TestCube', gradFunc: ([dy], { inputs: [a] }) => [() => g.mul(dy, g.mul(g.mul(a, a), 3))] });
    expect(getGradient('TestCube')).toBeDefined();
    backward(y, g.ones([3]));
    expect(Array.from(x.grad!.dataSync())).toEqual([3, 12, 27]);
    g.unregisterKernel('TestCube', 'js');
  });

  it('rejects a malformed registration', () => {
    expect(() => registerGradient({ kernelName: 'X' } as any)).toThrow(g.GorchError);
  });
});

describe('unbroadcast (property)', () => {
  // For loss = Σ(a + b), each element of an operand receives one unit of gradient per output element it
  // was broadcast to: outSize / operandSize, exactly (NumPy broadcasting rules).
  const dim = fc.integer({ min: 1, max: 4 });
  const shapes = fc.array(dim, { minLength: 0, maxLength: 4 }).chain((out) =>
    fc.tuple(
      fc.constant(out),
      fc.tuple(...out.map((d) => fc.constantFrom(d, 1))),
      fc.tuple(...out.map((d) => fc.constantFrom(d, 1))),
      fc.integer({ min: 0, max: out.length }),
      fc.integer({ min: 0, max: out.length }),
    ),
  );
  it('gradients of Σ(a+b) and Σ(a·1·b) count broadcast copies', () => {
    fc.assert(
      fc.property(shapes, ([, sa, sb, dropA, dropB]) => {
        const shapeA = (sa as number[]).slice(dropA);
        const shapeB = (sb as number[]).slice(dropB);
        const outShape = g.broadcastShapes(shapeA, shapeB);
        const outSize = g.sizeOf(outShape);
        g.tidy(() => {
          const a = g.ones(shapeA);
          const b = g.ones(shapeB);
          a.requiresGrad = b.requiresGrad = true;
          backward(g.sum(g.add(a, b)));
          backward(g.sum(g.mul(a, b)));
          for (const t of [a, b]) {
            expect([...t.grad!.shape]).toEqual([...t.shape]);
            for (const v of t.grad!.dataSync()) expect(v).toBe((2 * outSize) / t.size);
            t.grad!.dispose();
          }
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('gradient functions returning graph tensors', () => {
  it('a gradFunc that returns one of its inputs does not get that input disposed', () => {
    g.registerKernel({
      kernelName: 'TestPassThrough',
      backendName: 'js',
      kernelFunc: ({ inputs }) => ({ values: Float32Array.from(g.readInput(inputs[0])), shape: inputs[0].shape, dtype: 'float32' }),
    });
    // Deliberately "wrong" gradient (returns the other operand) to exercise ownership, not math.
    registerGradient({ kernelName: 'TestPassThrough', gradFunc: (_dys, { inputs: [, other] }) => [() => other, null] });
    const x = g.tensor([1, 2]);
    const other = g.tensor([5, 6]);
    x.requiresGrad = true;
    backward(g.engine.runKernel('TestPassThrough', [x, other]), g.ones([2]));
    expect(other.isDisposed).toBe(false);
    expect(x.grad).not.toBe(other);
    expect(Array.from(x.grad!.dataSync())).toEqual([5, 6]);
    g.unregisterKernel('TestPassThrough', 'js');
  });
});
