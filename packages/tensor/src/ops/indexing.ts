import { engine } from '../engine';
import { DtypeError, ShapeError } from '../errors';
import { KernelName } from '../kernel_names';
import { fmtShape, normalizeAxis } from '../shape';
import { Tensor } from '../tensor';
import { tensor } from './creation';
import { reshape } from './reshape';
import { assertTensor, disposeIntermediates } from './util';

function indexTensor(index: Tensor | readonly number[], op: string): { t: Tensor; owned: boolean } {
  if (index instanceof Tensor) {
    if (index.dtype !== 'int32') throw new DtypeError(`${op}: index must be int32, got ${index.dtype}`);
    return { t: index, owned: false };
  }
  return { t: tensor(index as number[], { dtype: 'int32' }), owned: true };
}

/**
 * Rows of `x` along `axis` picked by a 1-D int32 `index` (torch.index_select); the output has
 * index.length entries along `axis`. Throws IndexError for any index outside [0, dim).
 */
export function indexSelect(x: Tensor, axis: number, index: Tensor | readonly number[]): Tensor {
  assertTensor(x, 'indexSelect', 'x');
  const ax = normalizeAxis(axis, x.ndim, 'indexSelect');
  const { t, owned } = indexTensor(index, 'indexSelect');
  if (t.ndim !== 1) throw new ShapeError(`indexSelect: index must be 1-D, got ${fmtShape(t.shape)}`);
  try {
    return engine.runKernel(KernelName.IndexSelect, [x, t], { axis: ax });
  } finally {
    if (owned) t.dispose();
  }
}

/**
 * Embedding lookup: `weight` [vocab, dim] rows for int32 `ids` of any shape → [...ids.shape, dim]
 * (torch.nn.functional.embedding). Composition of reshape + indexSelect; out-of-range ids throw IndexError.
 */
export function embedding(ids: Tensor, weight: Tensor): Tensor {
  assertTensor(ids, 'embedding', 'ids');
  assertTensor(weight, 'embedding', 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight must be [vocab, dim], got ${fmtShape(weight.shape)}`);
  const flat = reshape(ids, [ids.size]);
  const rows = indexSelect(weight, 0, flat);
  const out = reshape(rows, [...ids.shape, weight.shape[1]]);
  disposeIntermediates([weight], [flat, rows]);
  return out;
}

/**
 * torch.gather: out[i][j][k] = x[i][index[i][j][k]][k] for axis 1 (and likewise for other axes). `index`
 * is int32 with x's rank and index.shape[d] ≤ x.shape[d] for d ≠ axis; output has index's shape.
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  assertTensor(x, 'gather', 'x');
  assertTensor(index, 'gather', 'index');
  const ax = normalizeAxis(axis, x.ndim, 'gather');
  if (index.dtype !== 'int32') throw new DtypeError(`gather: index must be int32, got ${index.dtype}`);
  if (index.ndim !== x.ndim || index.shape.some((d, i) => i !== ax && d > x.shape[i])) {
    throw new ShapeError(`gather: index ${fmtShape(index.shape)} does not fit x ${fmtShape(x.shape)} along axis ${ax}`);
  }
  return engine.runKernel(KernelName.Gather, [x, index], { axis: ax });
}

/**
 * torch.index_add: copy of `x` with `source` slices added at rows `index` (1-D int32) along `axis`;
 * repeated indices accumulate. The gradient of indexSelect / embedding.
 */
export function indexAdd(x: Tensor, axis: number, index: Tensor, source: Tensor): Tensor {
  assertTensor(x, 'indexAdd', 'x');
  assertTensor(source, 'indexAdd', 'source');
  const ax = normalizeAxis(axis, x.ndim, 'indexAdd');
  const { t } = indexTensor(index, 'indexAdd');
  const want = x.shape.map((d, i) => (i === ax ? t.size : d));
  if (t.ndim !== 1 || source.ndim !== x.ndim || source.shape.some((d, i) => d !== want[i])) {
    throw new ShapeError(`indexAdd: source ${fmtShape(source.shape)} must be ${fmtShape(want)} for x ${fmtShape(x.shape)} and index ${fmtShape(t.shape)}`);
  }
  return engine.runKernel(KernelName.IndexAdd, [x, t, source], { axis: ax });
}

/**
 * torch.scatter_add: copy of `x` with source[p] added at x[..., index[p], ...] along `axis` for every
 * position p of `index` (int32, x's rank, sizes ≤ source's). The gradient of gather.
 */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, source: Tensor): Tensor {
  assertTensor(x, 'scatterAdd', 'x');
  assertTensor(index, 'scatterAdd', 'index');
  assertTensor(source, 'scatterAdd', 'source');
  const ax = normalizeAxis(axis, x.ndim, 'scatterAdd');
  if (index.dtype !== 'int32') throw new DtypeError(`scatterAdd: index must be int32, got ${index.dtype}`);
  if (index.ndim !== x.ndim || source.ndim !== x.ndim || index.shape.some((d, i) => d > source.shape[i] || (i !== ax && d > x.shape[i]))) {
    throw new ShapeError(`scatterAdd: index ${fmtShape(index.shape)} does not fit x ${fmtShape(x.shape)} / source ${fmtShape(source.shape)}`);
  }
  return engine.runKernel(KernelName.ScatterAdd, [x, index, source], { axis: ax });
}

