import { attentionMask, keep, KernelName, maskedFill, mul, softmax, sub, type Tensor } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { matmul, sumAxes, transposeLast2 } from '../kernel_ops';

/** Attributes of the ScaledDotProductAttention kernel. */
interface AttentionAttrs {
  scale: number;
  causal: boolean;
  window: number | null;
}

/**
 * d attention, recomputing the probabilities P = softmax(scale·q kᵀ, hidden keys at -Infinity) with
 * the composite ops instead of saving them (FlashAttention's backward, Dao et al. 2022):
 * dv = Pᵀ dy, dS = P ⊙ (dy vᵀ − Σⱼ (dy vᵀ ⊙ P)), dq = scale · dS k, dk = scale · dSᵀ q.
 * P and dS are computed once per node and shared by the three input gradients.
 */
export const attentionGrad: GradConfig<AttentionAttrs> = {
  kernelName: KernelName.ScaledDotProductAttention,
  gradFunc: ([dy], { inputs: [q, k, v], attrs }) => {
    let shared: { p: Tensor; ds: Tensor } | null = null;
    // backward calls the thunk of every input that requires grad, once, in order; the last one frees P, dS
    let pending = [q, k, v].filter((t) => t.requiresGrad).length;
    const get = (): { p: Tensor; ds: Tensor } => {
      if (shared === null) {
        const r = q.ndim;
        const scores = mul(matmul(q, transposeLast2(k)), attrs.scale);
        const mask = attentionMask(q.shape[r - 2], k.shape[r - 2], attrs);
        const p = softmax(maskedFill(scores, mask, -Infinity), -1);
        const dp = matmul(dy, transposeLast2(v));
        const ds = mul(p, sub(dp, sumAxes(mul(dp, p), [r - 1], true)));
        shared = { p: keep(p), ds: keep(ds) };
      }
      return shared;
    };
    const done = <T extends Tensor>(g: T): T => {
      if (--pending === 0 && shared !== null) {
        shared.p.dispose();
        shared.ds.dispose();
      }
      return g;
    };
    return [
      () => done(mul(matmul(get().ds, k), attrs.scale)),
      () => done(mul(matmul(transposeLast2(get().ds), q), attrs.scale)),
      () => done(matmul(transposeLast2(get().p), dy)),
    ];
  },
};
