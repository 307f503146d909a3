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

/** Roles of the weights that decoding multiplies by one row per token: repacked to panels. */
const MATRIX_ROLES: ReadonlySet<WeightInfo['role']> = new Set(['linear', 'tied-embedding']);

function formatFor(dtype: DtypeName, source: string): Format {
  if (dtype !== 'auto') return dtype;
  return source === 'bfloat16' || source === 'float16' ? source : 'float32';
}

/**
 * gpt2 load options that store the weights as `--dtype` asks, on the active `backend`:
 *
 * - `wasm`: every nn.Linear weight and the tied `wte` (the LM head) is repacked by kernels-wasm's
 *   `repack` into `layout: 'panels'` (8-row panels the 1-row decode product streams; a 1-row result
 *   has the same bits as on row-major storage) in the chosen format; an untied `wte` keeps rows in
 *   that format (it is only gathered). Biases, LayerNorm parameters and `wpe` stay float32 rows.
 *   Each weight is repacked as it is read, so a BF16 checkpoint never exists as float32 in full.
 * - `js`: float32 row-major only: `auto` and `float32` load as before.
 *
 * `storage` describes the result for the load summary line (`weights bfloat16 panels`).
 * @throws CliError for a dtype not in {@link DTYPES}, or a half dtype on a backend other than `wasm`
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
  const formats = new Set<Format>();
  return {
    onWeight: (_name: string, t: Tensor, info: WeightInfo): Tensor => {
      if (!MATRIX_ROLES.has(info.role) && info.role !== 'token-embedding') return t;
      const format = formatFor(d, info.sourceDtype);
      formats.add(format);
      return repack(t, { format, layout: info.role === 'token-embedding' ? 'rows' : 'panels' });
    },
    storage: () => `weights ${[...formats].join(' + ') || 'float32'} panels`,
  };
}
