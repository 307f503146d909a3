import { engine } from '../engine';
import { ShapeError } from '../errors';
import { KernelName } from '../kernel_names';
import { broadcastShapes, checkNumel, fmtShape } from '../shape';
import type { Tensor } from '../tensor';
import { reshape } from './reshape';
import { assertTensor, disposeIntermediates } from './util';

/**
 * Matrix product with torch.matmul semantics: 1-D·1-D is a dot product (0-d), 2-D·1-D a matrix×vector,
 * 1-D·2-D a vector×matrix, and for rank ≥ 3 the leading batch dims broadcast (e.g. [2,1,5,7]·[3,7,4] →
 * [2,3,5,4]). Throws ShapeError naming both shapes when inner dims differ, batch dims do not broadcast or
 * the result would exceed 2^31 − 1 elements.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  assertTensor(a, 'matmul', 'a');
  assertTensor(b, 'matmul', 'b');
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`matmul: both operands need at least 1 dim, got ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}`);
  const K = a.shape[a.ndim - 1];
  const Kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (K !== Kb) throw new ShapeError(`matmul: inner dims differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)} (${K} vs ${Kb})`);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.ndim === 1 ? [] : b.shape.slice(0, -2), `matmul ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}`);
  const M = a.ndim === 1 ? 1 : a.shape[a.ndim - 2];
  const N = b.ndim === 1 ? 1 : b.shape[b.ndim - 1];
  checkNumel([...batch, M, N], `matmul ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}`);
  if (a.ndim >= 2 && b.ndim >= 2) return engine.runKernel(KernelName.MatMul, [a, b]);
  const a2 = a.ndim === 1 ? reshape(a, [1, K]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [K, 1]) : b;
  const c = engine.runKernel(KernelName.MatMul, [a2, b2]);
  const shape = [...c.shape];
  if (b.ndim === 1) shape.pop();
  if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
  const out = reshape(c, shape);
  disposeIntermediates([a, b], [a2, b2, c].filter((t) => t !== a && t !== b));
  return out;
}

/**
 * x·weightᵀ + bias (torch.nn.functional.linear) with `weight` in PyTorch [out_features, in_features]
 * layout, computed without materialising the transpose. x: [..., in] → [..., out]; bias: [out].
 * Throws ShapeError naming the shapes on mismatch or when the result would exceed 2^31 − 1 elements.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  assertTensor(x, 'linear', 'x');
  assertTensor(weight, 'linear', 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be [out, in], got ${fmtShape(weight.shape)}`);
  if (x.ndim < 1 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new ShapeError(`linear: x ${fmtShape(x.shape)} last dim must equal weight ${fmtShape(weight.shape)} in_features ${weight.shape[1]}`);
  }
  checkNumel([...x.shape.slice(0, -1), weight.shape[0]], `linear ${fmtShape(x.shape)} x ${fmtShape(weight.shape)}ᵀ`);
  if (bias !== undefined && bias !== null) {
    assertTensor(bias, 'linear', 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0]) throw new ShapeError(`linear: bias ${fmtShape(bias.shape)} must be [${weight.shape[0]}] for weight ${fmtShape(weight.shape)}`);
    return engine.runKernel(KernelName.Linear, [x, weight, bias]);
  }
  return engine.runKernel(KernelName.Linear, [x, weight]);
}
