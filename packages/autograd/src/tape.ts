import type { KernelRecord, Tensor } from '@gorch/tensor';

/**
 * One recorded kernel call: a node of the backward graph. `inputs` and `outputs` are the tensors the
 * engine passed to the recorder; gradient functions read what they need from them (tfjs-core saves
 * tensors the same way). The node hangs off its outputs' `gradNode` field (PyTorch's `grad_fn`), not
 * a global list, so a graph nobody calls backward on is garbage-collected with its outputs.
 */
export interface TapeNode {
  readonly id: number;
  readonly kernelName: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Record<string, unknown>;
}

let nextId = 0;

/**
 * The recorder installed into the engine (called only while recording is on and some input requires
 * grad). Float32 outputs become non-leaf tensors that require grad; int32 outputs (comparison masks,
 * argmax) are never differentiable, as in PyTorch, so a kernel with only int32 outputs records nothing.
 */
export function record(rec: KernelRecord): void {
  if (!rec.outputs.some((o) => o.dtype === 'float32')) return;
  const node: TapeNode = { id: nextId++, kernelName: rec.kernelName, inputs: rec.inputs, outputs: rec.outputs, attrs: rec.attrs };
  for (const out of rec.outputs) {
    if (out.dtype !== 'float32') continue;
    out.requiresGrad = true;
    out.gradNode = node;
  }
}

/** The node that produced `t`, or `null` for a leaf (a tensor not made by a recorded kernel). */
export function producerOf(t: Tensor): TapeNode | null {
  return (t.gradNode as TapeNode | null) ?? null;
}

/** True for a tensor that requires grad and was not produced by a recorded kernel (`.grad` goes there). */
export function isLeaf(t: Tensor): boolean {
  return t.gradNode === null || t.gradNode === undefined;
}
