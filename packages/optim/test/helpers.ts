import { tensor, type Tensor } from '@gorch/tensor';
import { expect } from 'vitest';

/** A tensor as stored by tools/fixtures/gpt_reference.py `fmt`. */
export interface JsonTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}

export function fromJson(j: JsonTensor): Tensor {
  return tensor(j.dtype === 'int32' ? Int32Array.from(j.data) : Float32Array.from(j.data), { shape: j.shape, dtype: j.dtype });
}

/** |actual − expected| ≤ atol + rtol·|expected| element-wise, shapes equal (numpy.allclose). */
export function expectClose(actual: Tensor | null, expected: JsonTensor, atol: number, rtol: number, what: string): void {
  expect(actual, `${what}: missing`).not.toBeNull();
  expect([...actual!.shape], `${what}: shape`).toEqual(expected.shape);
  const a = actual!.dataSync();
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - expected.data[i]) <= atol + rtol * Math.abs(expected.data[i]))) {
      expect.fail(`${what}: element ${i} is ${a[i]}, expected ${expected.data[i]} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
