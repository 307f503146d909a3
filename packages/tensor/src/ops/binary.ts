import { KernelName } from '../kernel_names';
import type { Tensor } from '../tensor';
import { operand, runWithConstants } from './util';

type Operand = Tensor | number;

function binary(kernelName: string, op: string, a: Operand, b: Operand): Tensor {
  const ta = operand(a, b, op, 'a');
  const tb = operand(b, a, op, 'b');
  return runWithConstants(kernelName, [ta, tb], [a, b]);
}

/** a + b with NumPy broadcasting. dtype: int32 if both int32, else float32. Throws ShapeError if not broadcastable. */
export const add = (a: Operand, b: Operand): Tensor => binary(KernelName.Add, 'add', a, b);
/** a - b with broadcasting (see {@link add}). */
export const sub = (a: Operand, b: Operand): Tensor => binary(KernelName.Sub, 'sub', a, b);
/** a * b with broadcasting (see {@link add}). */
export const mul = (a: Operand, b: Operand): Tensor => binary(KernelName.Mul, 'mul', a, b);
/** a / b with broadcasting; always float32 (true division, like torch.div). */
export const div = (a: Operand, b: Operand): Tensor => binary(KernelName.Div, 'div', a, b);
/** a ** b with broadcasting (Math.pow semantics; int32 ** int32 stays int32, truncated). */
export const pow = (a: Operand, b: Operand): Tensor => binary(KernelName.Pow, 'pow', a, b);
/** Element-wise maximum with broadcasting (torch.maximum: NaN propagates). */
export const maximum = (a: Operand, b: Operand): Tensor => binary(KernelName.Maximum, 'maximum', a, b);
/** Element-wise minimum with broadcasting (torch.minimum: NaN propagates). */
export const minimum = (a: Operand, b: Operand): Tensor => binary(KernelName.Minimum, 'minimum', a, b);
/** a == b as an int32 0/1 mask (broadcast). */
export const eq = (a: Operand, b: Operand): Tensor => binary(KernelName.Equal, 'eq', a, b);
/** a > b as an int32 0/1 mask (broadcast). */
export const gt = (a: Operand, b: Operand): Tensor => binary(KernelName.Greater, 'gt', a, b);
/** a < b as an int32 0/1 mask (broadcast). */
export const lt = (a: Operand, b: Operand): Tensor => binary(KernelName.Less, 'lt', a, b);
/** a >= b as an int32 0/1 mask (broadcast). */
export const ge = (a: Operand, b: Operand): Tensor => binary(KernelName.GreaterEqual, 'ge', a, b);
/** a <= b as an int32 0/1 mask (broadcast). */
export const le = (a: Operand, b: Operand): Tensor => binary(KernelName.LessEqual, 'le', a, b);
