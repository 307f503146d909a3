import { add, engine, GorchError, onesLike, reshape, shapesEqual, Tensor, zerosLike } from '@gorch/tensor';
import { getGradient } from './grad_registry';
import { isLeaf, producerOf, type TapeNode } from './tape';

/**
 * Reverse-mode differentiation (PyTorch `Tensor.backward`): computes d(output)/d(leaf), weighted by
 * `gradient` (default: 1 for a one-element output), for every leaf tensor with `requiresGrad` reached
 * from `output`, and ADDS it to the leaf's `.grad` (accumulation across calls, as in PyTorch: an
 * existing `.grad` tensor keeps its identity and receives the sum via `engine.assign`). Non-leaf
 * tensors get no `.grad`.
 *
 * Nodes run in reverse topological order; gradients are computed with tensor ops while recording is
 * off (no double backward), temporaries are disposed as soon as they are consumed, and the new
 * `.grad` tensors are `keep`-ed so an enclosing `tidy` does not free them. The graph is kept (like
 * `retain_graph=True`): calling backward again on the same output accumulates again.
 *
 * Throws GorchError `E_NO_GRAD` when `output` does not require grad, `E_GRAD_SHAPE` when `gradient`
 * is missing for a multi-element output or has the wrong shape/dtype, `E_NO_GRADIENT` when a recorded
 * kernel has no registered gradient, `E_DISPOSED` when a tensor the graph needs was disposed.
 */
export function backward(output: Tensor, gradient?: Tensor): void {
  if (!(output instanceof Tensor)) throw new GorchError('E_ARG', 'backward: output must be a Tensor');
  if (output.isDisposed) throw new GorchError('E_DISPOSED', `backward: output tensor #${output.id} was disposed`);
  if (!output.requiresGrad) {
    throw new GorchError('E_NO_GRAD', `backward: tensor ${fmtShapeOf(output)} does not require grad and has no grad node (set requiresGrad = true on a leaf, and do not compute it inside noGrad)`);
  }
  if (gradient === undefined) {
    if (output.size !== 1) {
      throw new GorchError('E_GRAD_SHAPE', `backward: gradient can be implicitly created only for one-element outputs; output has shape ${fmtShapeOf(output)}, pass a gradient of that shape`);
    }
  } else {
    if (!(gradient instanceof Tensor)) throw new GorchError('E_ARG', 'backward: gradient must be a Tensor');
    if (gradient.isDisposed) throw new GorchError('E_DISPOSED', 'backward: gradient tensor was disposed');
    if (!shapesEqual(gradient.shape, output.shape) || gradient.dtype !== 'float32') {
      throw new GorchError('E_GRAD_SHAPE', `backward: gradient ${fmtShapeOf(gradient)} ${gradient.dtype} does not match output ${fmtShapeOf(output)} float32`);
    }
  }
  engine.withRecording(false, () => engine.tidy(() => run(output, gradient)));
}

/** Gradient tensors owned by one backward pass, reference-counted so shared ones are freed once. */
class GradStore {
  private readonly grads = new Map<Tensor, Tensor>();
  private readonly refs = new Map<Tensor, number>();

  get(t: Tensor): Tensor | undefined {
    return this.grads.get(t);
  }
  entries(): IterableIterator<[Tensor, Tensor]> {
    return this.grads.entries();
  }
  refCount(g: Tensor): number {
    return this.refs.get(g) ?? 0;
  }
  /** Adds `g` (owned: it will be disposed once unreferenced) to the gradient of `t`. */
  accumulate(t: Tensor, g: Tensor): void {
    const old = this.grads.get(t);
    if (old === undefined) {
      this.set(t, g);
      return;
    }
    const sum = add(old, g);
    this.unref(old);
    this.release(g);
    this.grads.delete(t);
    this.set(t, sum);
  }
  /** Forgets the gradient of `t` (a consumed node output). */
  drop(t: Tensor): void {
    const g = this.grads.get(t);
    if (g === undefined) return;
    this.grads.delete(t);
    this.unref(g);
  }
  private set(t: Tensor, g: Tensor): void {
    this.grads.set(t, g);
    this.refs.set(g, this.refCount(g) + 1);
  }
  private unref(g: Tensor): void {
    const n = this.refCount(g) - 1;
    if (n > 0) this.refs.set(g, n);
    else {
      this.refs.delete(g);
      g.dispose();
    }
  }
  /** Disposes `g` unless some entry still refers to it. */
  release(g: Tensor): void {
    if (this.refCount(g) === 0) g.dispose();
  }
}

function run(output: Tensor, gradient: Tensor | undefined): void {
  const order = topoOrder(output);
  const store = new GradStore();
  // The seed is a new handle on the caller's gradient (a view sharing storage), so the caller's tensor
  // is never disposed by this pass nor stored in a .grad.
  const seed = gradient === undefined ? onesLike(output) : handle(gradient);
  store.accumulate(output, seed);
  // Tensor ids grow with creation: anything older than the seed belongs to the caller or the graph.
  const firstOwnedId = seed.id;

  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k];
    if (!node.outputs.some((o) => store.get(o) !== undefined)) continue;
    const config = getGradient(node.kernelName);
    if (config === undefined) {
      throw new GorchError('E_NO_GRADIENT', `backward: no gradient registered for kernel '${node.kernelName}' (register one with registerGradient)`);
    }
    const fresh: Tensor[] = [];
    const dys = node.outputs.map((o) => {
      const g = store.get(o);
      if (g !== undefined) return g;
      const z = zerosLike(o);
      fresh.push(z);
      return z;
    });
    const thunks = config.gradFunc(dys, { inputs: node.inputs, outputs: node.outputs, attrs: node.attrs });
    const results: Array<[Tensor, Tensor]> = [];
    node.inputs.forEach((input, i) => {
      if (!input.requiresGrad || input.dtype !== 'float32') return;
      const thunk = thunks[i];
      if (thunk === null || thunk === undefined) return;
      let g = runThunk(node, i, thunk);
      // A gradient function may return a graph tensor itself; the store must never dispose that.
      if (g.id < firstOwnedId) g = handle(g);
      if (!shapesEqual(g.shape, input.shape)) {
        throw new GorchError('E_INTERNAL', `backward: gradient of '${node.kernelName}' input ${i} has shape ${fmtShapeOf(g)}, expected ${fmtShapeOf(input)}`);
      }
      results.push([input, g]);
    });
    // Store the input gradients before dropping the output gradients: a gradient function may return
    // a dy tensor itself (Add, Reshape of equal shape), which must then survive.
    for (const [input, g] of results) store.accumulate(input, g);
    for (const o of node.outputs) store.drop(o);
    for (const z of fresh) store.release(z);
  }

  for (const [t, g] of store.entries()) {
    if (!isLeaf(t) || !t.requiresGrad) continue;
    // Leaves may share one gradient tensor (x + y); each .grad gets a handle of its own (tensors are
    // immutable, so sharing storage is safe and costs no copy).
    const own = store.refCount(g) > 1 ? handle(g) : g;
    const old = t.grad;
    if (old !== null && !old.isDisposed) {
      // In-place accumulation (PyTorch's `grad += g`): the .grad object an optimizer holds stays valid.
      const total = add(old, own);
      engine.assign(old, total);
      total.dispose();
      if (own !== g) own.dispose();
    } else {
      t.grad = engine.keep(own);
    }
  }
  // Whatever gradients remain unkept (intermediates, `g` summed into an old .grad) are freed by the
  // enclosing tidy in `backward`.
}

/** Nodes reachable from `output`, each after all nodes producing its inputs (iterative DFS). */
function topoOrder(output: Tensor): TapeNode[] {
  const order: TapeNode[] = [];
  const root = producerOf(output);
  if (root === null) return order;
  const seen = new Set<TapeNode>([root]);
  const stack: Array<{ node: TapeNode; next: number }> = [{ node: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.node.inputs.length) {
      const input = top.node.inputs[top.next++];
      if (!input.requiresGrad) continue;
      const p = producerOf(input);
      if (p !== null && !seen.has(p)) {
        seen.add(p);
        stack.push({ node: p, next: 0 });
      }
    } else {
      order.push(top.node);
      stack.pop();
    }
  }
  return order;
}

function runThunk(node: TapeNode, i: number, thunk: () => Tensor): Tensor {
  try {
    return engine.tidy(thunk);
  } catch (e) {
    if (e instanceof GorchError && e.code === 'E_DISPOSED') {
      throw new GorchError('E_DISPOSED', `backward: a tensor saved by '${node.kernelName}' (needed for the gradient of input ${i}) was disposed before backward; keep the graph's tensors alive until backward (e.g. call backward inside the tidy that built them). Cause: ${e.message}`);
    }
    throw e;
  }
}

/** A new tensor handle on `t`'s storage (a Reshape view: no copy). */
function handle(t: Tensor): Tensor {
  return reshape(t, t.shape);
}

function fmtShapeOf(t: Tensor): string {
  return `[${t.shape.join(',')}]`;
}
