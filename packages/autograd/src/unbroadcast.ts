import { broadcastShapes, reshape, shapesEqual, type Shape, type Tensor } from '@gorch/tensor';
import { sumAxes } from './kernel_ops';

/**
 * Sums a gradient `g` that has the broadcast shape of an op's output back to the `shape` of one of the
 * op's operands (the adjoint of NumPy broadcasting): leading dims the operand lacks are summed away,
 * and dims where the operand has size 1 are summed with keepdim. Returns `g` itself when the shapes
 * already agree, otherwise a new tensor (temporaries are left to the caller's `tidy`).
 */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  // Validates that `shape` really broadcasts to g's shape (a bug in a gradient otherwise).
  broadcastShapes(g.shape, shape, 'unbroadcast');
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length > 0 ? sumAxes(g, axes, true) : g;
  return reshape(s, shape);
}
