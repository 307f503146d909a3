import { DtypeError, IndexError, ShapeError, gather, logSoftmax, tensor, type Tensor } from '@gorch/tensor';

/**
 * Mean squared error (torch.nn.functional.mse_loss, reduction 'mean'): mean((input - target)²).
 * `input` and `target` float32 of the same shape (no broadcasting: a mismatch is a ShapeError, where
 * torch would broadcast with a warning). Returns a scalar.
 */
export function mseLoss(input: Tensor, target: Tensor): Tensor {
  if (!sameShape(input.shape, target.shape)) {
    throw new ShapeError(`mseLoss: input [${input.shape.join(', ')}] and target [${target.shape.join(', ')}] must have the same shape`);
  }
  const d = input.sub(target);
  return d.mul(d).mean();
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** Targets equal to this are skipped (no loss, no gradient). Default -100, as in torch. */
  ignoreIndex?: number;
}

/**
 * Cross-entropy of logits against class indices (torch.nn.functional.cross_entropy, reduction
 * 'mean'): −mean over non-ignored i of log_softmax(logits_i)[target_i]. `logits` float32 [N, C] or
 * [B, T, C]; `targets` int32 [N] or [B, T]. Returns a scalar.
 *
 * When every target is ignored the result is 0 with zero gradients (torch returns NaN): a batch made
 * only of padding then contributes nothing instead of poisoning training.
 *
 * Throws ShapeError for mismatched shapes, DtypeError for non-int32 targets, IndexError naming the
 * first target outside [0, C) that is not `ignoreIndex`.
 */
export function crossEntropy(logits: Tensor, targets: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const ignore = options.ignoreIndex ?? -100;
  if (targets.dtype !== 'int32') throw new DtypeError(`crossEntropy: targets must be int32, got ${targets.dtype}`);
  const lead = logits.shape.slice(0, -1);
  if ((logits.ndim !== 2 && logits.ndim !== 3) || !sameShape(lead, targets.shape)) {
    throw new ShapeError(`crossEntropy: logits [${logits.shape.join(', ')}] and targets [${targets.shape.join(', ')}] must be [N, C] and [N], or [B, T, C] and [B, T]`);
  }
  const c = logits.shape[logits.ndim - 1];
  const n = targets.size;
  const t = targets.dataSync();
  const safe = new Int32Array(n);
  const keep = new Float32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (t[i] === ignore) continue;
    if (t[i] < 0 || t[i] >= c) throw new IndexError(`crossEntropy: target ${t[i]} at flat position ${i} is out of range [0, ${c}) (ignoreIndex ${ignore})`);
    safe[i] = t[i];
    keep[i] = 1;
    count++;
  }
  const logp = logSoftmax(logits.reshape([n, c]), -1);
  const picked = gather(logp, 1, tensor(safe, { shape: [n, 1], dtype: 'int32' }));
  const loss = picked.mul(tensor(keep, { shape: [n, 1] })).sum().mul(-1 / Math.max(count, 1));
  // 0 · (−1) is −0; adding +0 makes the all-ignored loss a plain 0 (the graph, and zero grads, stay).
  return count === 0 ? loss.add(0) : loss;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
