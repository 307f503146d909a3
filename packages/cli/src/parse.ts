import { InvalidArgumentError } from 'commander';

/** A commander parser for an integer option in [min, +inf). */
export function intArg(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got "${value}"`);
    return n;
  };
}

/** A commander parser for a finite number in [min, max]. */
export function numberArg(min: number, max = Infinity): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number in [${min}, ${max === Infinity ? '∞' : max}], got "${value}"`);
    }
    return n;
  };
}
