import { DtypeError, ShapeError } from '../errors';
import { KernelName } from '../kernel_names';
import { broadcastShapes, fmtShape } from '../shape';
import type { Tensor } from '../tensor';
import { assertTensor, operand, runWithConstants } from './util';

/**
 * cond ≠ 0 ? a : b element-wise, broadcasting all three (torch.where). `cond` may be int32 or float32;
 * the result dtype promotes a and b. Throws ShapeError when the shapes do not broadcast.
 */
export function where(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  assertTensor(cond, 'where', 'cond');
  const ta = operand(a, b, 'where', 'a');
  const tb = operand(b, a, 'where', 'b');
  return runWithConstants(KernelName.Where, [cond, ta, tb], [cond, a, b]);
}

/**
 * Copy of `x` with `value` wherever `mask` ≠ 0 (torch.masked_fill); `mask` broadcasts to x's shape
 * (e.g. a causal mask [T,T] over scores [B,H,T,T]). Throws ShapeError if the mask would enlarge x and
 * DtypeError unless `mask` is int32 (gorch's bool: what eq/gt/tril(ones(..,'int32')) give; any nonzero
 * value counts as true).
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  assertTensor(x, 'maskedFill', 'x');
  assertTensor(mask, 'maskedFill', 'mask');
  const s = broadcastShapes(x.shape, mask.shape, 'maskedFill');
  if (s.length !== x.shape.length || s.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(`maskedFill: mask ${fmtShape(mask.shape)} does not broadcast to x ${fmtShape(x.shape)}`);
  }
  // torch requires a bool mask; int32 is gorch's bool. A float mask would make 0.5 "true" silently.
  if (mask.dtype !== 'int32') throw new DtypeError(`maskedFill: mask must be int32 (0/1, torch's bool), got ${mask.dtype} mask ${fmtShape(mask.shape)}; use eq/gt/... or cast(mask, 'int32')`);
  return where(mask, value, x);
}
