import { GorchError } from '@gorch/tensor';
import { Module } from './module';

/**
 * An indexed list of child modules named '0', '1', ... (torch.nn.ModuleList), so a GPT's blocks get
 * the names `h.0.*`, `h.1.*`. It has no forward of its own; iterate it.
 */
export class ModuleList<M extends Module = Module> extends Module implements Iterable<M> {
  private readonly items: M[] = [];
  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }
  /** Adds `m` under the next index. */
  append(m: M): this {
    this.registerModule(String(this.items.length), m);
    this.items.push(m);
    return this;
  }
  /** The module at `i` (negative counts from the end); undefined when out of range. */
  at(i: number): M | undefined {
    return this.items.at(i);
  }
  /** Number of modules. */
  get length(): number {
    return this.items.length;
  }
  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }
  /** Always throws `E_UNSUPPORTED`: a ModuleList only holds modules (as in PyTorch). */
  forward(): never {
    throw new GorchError('E_UNSUPPORTED', 'ModuleList has no forward; iterate its modules');
  }
}
