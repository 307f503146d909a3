// Golden gradients from PyTorch: test/golden/grads.json, written by tools/fixtures/autograd_grads.py
// (run by hand with /usr/bin/python3; CI never runs Python).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { tensor, type Tensor } from '@gorch/tensor';

type Num = number | 'inf' | '-inf' | 'nan';

/** A tensor as written by the fixture script (bool masks are 0/1 with dtype 'bool'). */
export interface GoldenTensor {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: Num[];
  requiresGrad?: boolean;
}

/** One op case: inputs by name, attrs, upstream gradient(s), torch's outputs and input gradients. */
export interface GoldenCase {
  name: string;
  op: string;
  attrs: Record<string, any>;
  inputs: Record<string, GoldenTensor>;
  upstream: GoldenTensor[] | null;
  backwardCalls: number;
  outputs: GoldenTensor[];
  grads: Record<string, GoldenTensor>;
}

const decode = (v: Num): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);

/** Every case of grads.json, in file order. */
export function loadCases(): GoldenCase[] {
  const json = JSON.parse(readFileSync(new URL('./golden/grads.json', import.meta.url), 'utf8'));
  expect(json.generator).toBe('tools/fixtures/autograd_grads.py');
  return json.cases;
}

/** Builds a gorch tensor from a golden one (bool masks become int32 0/1), with its requiresGrad flag. */
export function fromGolden(g: GoldenTensor): Tensor {
  const t = tensor(g.data.map(decode), { shape: g.shape, dtype: g.dtype === 'float32' ? 'float32' : 'int32' });
  t.requiresGrad = g.requiresGrad === true;
  return t;
}

/** Decodes a golden number attribute ("-inf" strings included). */
export const num = (v: Num): number => decode(v);

/**
 * Asserts shape and values within |a-e| <= atol + rtol·|e| (numpy.allclose); non-finite expected
 * values must match exactly.
 */
export function expectClose(actual: Tensor | null, expected: GoldenTensor, label: string, atol: number, rtol: number): void {
  expect(actual, `${label}: missing`).not.toBeNull();
  expect([...actual!.shape], `${label}: shape`).toEqual(expected.shape);
  const got = actual!.dataSync();
  const want = expected.data.map(decode);
  for (let i = 0; i < want.length; i++) {
    const a = got[i];
    const e = want[i];
    if (!Number.isFinite(e)) {
      expect(Number.isNaN(e) ? Number.isNaN(a) : a === e, `${label}[${i}]: got ${a}, want ${e}`).toBe(true);
    } else if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${label}[${i}]: got ${a}, want ${e} (|diff| ${Math.abs(a - e)})`);
    }
  }
}
