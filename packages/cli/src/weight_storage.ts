import type { LoadGPT2Options, WeightInfo } from '@gorch/gpt2';
import { repack } from '@gorch/kernels-wasm';
import type { Tensor } from '@gorch/tensor';
import { CliError } from './errors';

/**
 * Values of `--dtype`, Hugging Face `from_pretrained(torch_dtype=...)` semantics: `auto` keeps each
 * weight matrix in the checkpoint's own dtype (a BF16 / F16 checkpoint stays half-width, F32 and F64
 * become float32), the others convert every weight matrix to that dtype (round to nearest even).
 */
export const DTYPES = ['auto', 'float32', 'bfloat16', 'float16'] as const;
export type DtypeName = (typeof DTYPES)[number];

type Format = 'float32' | 'bfloat16' | 'float16';

/** Roles of the weights that decoding multiplies by one row per token: half-width ones go to panels. */
const MATRIX_ROLES: ReadonlySet<WeightInfo['role']> = new Set(['linear', 'tied-embedding']);

/** Largest finite float16 (IEEE 754 binary16: (2 - 2^-10) * 2^15). */
const FLOAT16_MAX = 65504;

/**
 * Refuses a weight with |x| > 65504 before narrowing it to float16, where it would overflow to Inf
 * and every logit downstream would be NaN. (Round-to-nearest-even only overflows from 65520 on; the
 * few values in between are refused too, as beyond float16's largest finite value.) NaN passes: it
 * stays NaN in any format, and is the checkpoint's problem, not the option's.
 */
function checkFloat16Range(name: string, t: Tensor): void {
  const v = t.dataSync();
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > max) max = a;
  }
  if (max > FLOAT16_MAX) {
    throw new CliError(
      `--dtype float16: ${name} has max |value| ${max}, beyond float16's largest finite value 65504 (it would become Inf); use --dtype bfloat16 or float32`,
    );
  }
}

function formatFor(dtype: DtypeName, source: string): Format {
  if (dtype !== 'auto') return dtype;
  return source === 'bfloat16' || source === 'float16' ? source : 'float32';
}

/**
 * gpt2 load options that store the weights as `--dtype` asks, on the active `backend`:
 *
 * - `wasm`, half format: every nn.Linear weight and the tied `wte` (the LM head) is repacked by
 *   kernels-wasm's `repack` into that format with `layout: 'panels'` (8-row panels the 1-row decode
 *   product streams as one forward read); an untied `wte` is only gathered and keeps rows. Each
 *   weight is narrowed as it is read, so a BF16 checkpoint never exists as float32 in full.
 * - float32 (either backend): row-major, as loaded without options. On wasm, float32 panels were
 *   measured slower end to end than rows (decode 0.88x, prefill 128 tokens 0.87x;
 *   bench/gpt2_dtype.ts, fresh processes, 2026-11-30), so they are not used.
 * - Biases, LayerNorm parameters and `wpe` stay float32 rows. `js` stores float32 only.
 *
 * `storage` describes the result for the load summary line (`weights bfloat16 panels`,
 * `weights float32 rows`).
 * @throws CliError for a dtype not in {@link DTYPES}, or a half dtype on a backend other than `wasm`;
 *   the returned `onWeight` throws CliError (so the load fails, before any output) when `float16`
 *   would narrow a weight with a value beyond float16's range (|x| > 65504) to Inf
 */
export function weightStorage(dtype: string, backend: string): LoadGPT2Options {
  if (!(DTYPES as readonly string[]).includes(dtype)) throw new CliError(`--dtype: expected one of ${DTYPES.join(', ')}, got "${dtype}"`);
  const d = dtype as DtypeName;
  if (backend !== 'wasm') {
    if (d === 'bfloat16' || d === 'float16') {
      throw new CliError(`--dtype ${d}: half-width weights need the wasm backend, the ${backend} backend stores float32 only (use --backend wasm, or --dtype auto / float32)`);
    }
    return { storage: 'weights float32 rows' };
  }
  const used = new Set<string>();
  return {
    onWeight: (name: string, t: Tensor, info: WeightInfo): Tensor => {
      const matrix = MATRIX_ROLES.has(info.role);
      if (!matrix && info.role !== 'token-embedding') return t;
      const format = formatFor(d, info.sourceDtype);
      if (format === 'float32') {
        used.add('float32 rows');
        return t;
      }
      // float16 weights from float16 are exact; from anything wider they may overflow to Inf
      if (format === 'float16' && info.sourceDtype !== 'float16') checkFloat16Range(name, t);
      used.add(`${format} ${matrix ? 'panels' : 'rows'}`);
      return repack(t, { format, layout: matrix ? 'panels' : 'rows' });
    },
    storage: () => `weights ${[...used].join(' + ') || 'float32 rows'}`,
  };
}
