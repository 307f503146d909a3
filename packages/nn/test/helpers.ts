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

export function stateDictFromJson(params: Record<string, JsonTensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, fromJson(v)]));
}

/** |actual − expected| ≤ atol + rtol·|expected| element-wise, shapes equal (numpy.allclose). */
export function expectClose(actual: Tensor | null, expected: JsonTensor, atol: number, rtol: number, what: string): void {
  expect(actual, `${what}: missing`).not.toBeNull();
  expect([...actual!.shape], `${what}: shape`).toEqual(expected.shape);
  const a = actual!.dataSync();
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i] - expected.data[i]) - (atol + rtol * Math.abs(expected.data[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${a[worst]}, expected ${expected.data[worst]} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Forward tolerance of the issue: 1e-5 abs / 1e-4 rel. */
export const FWD: [number, number] = [1e-5, 1e-4];
/** Gradient tolerance of the issue: 1e-4. */
export const GRAD: [number, number] = [1e-4, 1e-4];
