import { GorchError } from './errors';

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom
 * number generators", 2018) with its 128-bit state filled from the seed by splitmix32. Uniform floats take
 * the top 24 bits (exactly representable in float32, in [0, 1)); normals use the Box–Muller transform.
 * All numbers are produced in JS, so a seed gives the same tensors on every backend. The numbers differ
 * from PyTorch's (Mersenne Twister): same seed ≠ same values as torch.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = NaN;
  private seed0 = 0;

  constructor(seed = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Resets the state from an integer seed (any safe integer; negative values allowed). Returns this. */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed)) throw new GorchError('E_ARG', `manualSeed: seed must be a safe integer, got ${seed}`);
    this.seed0 = seed;
    // splitmix32 over both 32-bit halves of the seed
    let x = (seed | 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x9e3779b9);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = NaN;
    return this;
  }

  /** The seed last given to {@link Generator.manualSeed}. */
  initialSeed(): number {
    return this.seed0;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform float in [0, 1) with 24 random bits. */
  uniform(): number {
    return (this.nextUint32() >>> 8) * 5.9604644775390625e-8;
  }

  /** Standard normal N(0, 1) (Box–Muller; the second value of each pair is cached). */
  normal(): number {
    if (this.spare === this.spare) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Seed of the default generator at start-up (deterministic, like torch's fixed initial seed). */
export const DEFAULT_SEED = 42;

/** The default generator used by `rand`/`randn` when no generator is passed. */
export const defaultGenerator = new Generator(DEFAULT_SEED);

/** Seeds the default generator (torch.manual_seed). */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
