// Shared test helpers: backend parameterisation and PyTorch golden comparison.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { registeredBackends, tensor, type DType, type Tensor } from '@gorch/tensor';

/**
 * Backends the test bodies run on: every registered backend. A package that registers another backend
 * (e.g. 'wasm') before calling `describe.each(availableBackends())` gets the same bodies run on it.
 */
export function availableBackends(): string[] {
  return registeredBackends();
}

/** A golden tensor as written by tools/fixtures/tensor_ops.py. */
export interface GoldenTensor {
  shape: number[];
  dtype: DType;
  data: (number | 'inf' | '-inf' | 'nan')[];
}
/** One golden case. */
export interface GoldenCase {
  name: string;
  inputs: GoldenTensor[];
  out?: GoldenTensor;
  outs?: GoldenTensor[];
}

const decode = (v: number | string): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : (v as number));

/** Loads a golden JSON file next to this one and indexes it by case name. */
export function loadGolden(file: string): Map<string, GoldenCase> {
  const json = JSON.parse(readFileSync(new URL(`./golden/${file}`, import.meta.url), 'utf8'));
  return new Map((json.cases as GoldenCase[]).map((c) => [c.name, c]));
}

/** Builds a tensor from a golden tensor. */
export function fromGolden(g: GoldenTensor): Tensor {
  return tensor(g.data.map(decode), { shape: g.shape, dtype: g.dtype });
}

/** Asserts shape, dtype and values within |a-e| <= atol + rtol*|e| (non-finite values must match exactly). */
export function expectClose(actual: Tensor, expected: GoldenTensor, label: string, atol = 1e-5, rtol = 1e-4): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label}: dtype`).toBe(expected.dtype);
  const got = actual.dataSync();
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

/**
 * Returns `check(name, fn)`: runs `fn` on the golden inputs of case `name` and compares with torch's
 * output(s). `used` collects the case names so a test can assert that every golden case is exercised.
 */
export function goldenChecker(cases: Map<string, GoldenCase>, used: Set<string>) {
  return (name: string, fn: (...xs: Tensor[]) => Tensor | Tensor[]): void => {
    const c = cases.get(name);
    if (!c) throw new Error(`golden case '${name}' missing: rerun tools/fixtures/tensor_ops.py`);
    used.add(name);
    const inputs = c.inputs.map(fromGolden);
    const out = fn(...inputs);
    if (Array.isArray(out)) {
      expect(out.length, `${name}: number of outputs`).toBe(c.outs!.length);
      out.forEach((o, i) => expectClose(o, c.outs![i], `${name}#${i}`));
    } else {
      expectClose(out, c.out!, name);
    }
  };
}
