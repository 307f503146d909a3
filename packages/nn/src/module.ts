import { Tensor } from '@gorch/tensor';
import { assignInPlace } from './assign';
import { ArgumentError, StateDictError } from './errors';

/** A state dict: dotted parameter names (PyTorch `state_dict` keys) to tensors, in registration order. */
export type StateDict = Record<string, Tensor>;

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Missing or unexpected keys are errors (torch's `strict=True`). Default true. */
  strict?: boolean;
}

/** Keys that did not match, returned by a non-strict {@link Module.loadStateDict}. */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * Base class of every layer (torch.nn.Module). A module owns parameters (tensors with
 * `requiresGrad = true`) and child modules, both registered by name, so that
 * {@link Module.namedParameters} yields PyTorch's dotted names (`h.0.attn.c_attn.weight`).
 * Subclasses register in their constructor with {@link Module.registerParameter} and
 * {@link Module.registerModule} and implement `forward`.
 */
export abstract class Module {
  /** Training mode (dropout active); switched recursively by {@link Module.train} / {@link Module.eval}. */
  training = true;
  private readonly params = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /** The computation of this module. Subclasses narrow the signature. */
  abstract forward(...inputs: any[]): any;

  /** Registers `t` as parameter `name` (marking it `requiresGrad`) and returns it. */
  protected registerParameter(name: string, t: Tensor): Tensor {
    checkName(name, this);
    t.requiresGrad = true;
    this.params.set(name, t);
    return t;
  }

  /** Registers `m` as child module `name` (its parameters get the prefix `name.`) and returns it. */
  protected registerModule<M extends Module>(name: string, m: M): M {
    checkName(name, this);
    this.children.set(name, m);
    return m;
  }

  /**
   * Replaces the tensor registered as parameter `name` (weight tying: several modules then hold one
   * tensor). Throws `E_ARG` if there is no such parameter.
   */
  protected replaceParameter(name: string, t: Tensor): Tensor {
    if (!this.params.has(name)) throw new ArgumentError(`${this.constructor.name}: no parameter '${name}' to replace`);
    t.requiresGrad = true;
    this.params.set(name, t);
    return t;
  }

  /** The tensor registered as parameter `name` of this module; throws `E_ARG` if there is none. */
  protected getParameter(name: string): Tensor {
    const t = this.params.get(name);
    if (t === undefined) throw new ArgumentError(`${this.constructor.name}: no parameter '${name}'`);
    return t;
  }

  /** True when this module has a parameter registered as `name`. */
  protected hasParameter(name: string): boolean {
    return this.params.has(name);
  }

  /** Direct children with their names, in registration order (torch `named_children`). */
  *namedChildren(): IterableIterator<[string, Module]> {
    yield* this.children.entries();
  }

  /** This module and all descendants with dotted names ('' for this one), depth first (torch `named_modules`). */
  *namedModules(prefix = ''): IterableIterator<[string, Module]> {
    yield [prefix, this];
    for (const [name, child] of this.children) yield* child.namedModules(prefix === '' ? name : `${prefix}.${name}`);
  }

  /**
   * Every parameter with its dotted name, each tensor once (a tensor shared by two modules, as a tied
   * LM head, is reported under its first name), like torch `named_parameters`.
   */
  *namedParameters(): IterableIterator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    for (const [name, t] of this.allParameters('')) {
      if (seen.has(t)) continue;
      seen.add(t);
      yield [name, t];
    }
  }

  /** The distinct parameters (see {@link Module.namedParameters}); pass them to an optimizer. */
  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, t]) => t);
  }

  /**
   * Every parameter under every name, shared tensors included under each of their names (torch
   * `state_dict` keeps both `wte.weight` and a tied `lm_head.weight`). The tensors are the live
   * parameters, not copies: do not dispose them.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of this.allParameters('')) out[name] = t;
    return out;
  }

  /**
   * Copies values from `stateDict` into the parameters, in place (the parameter tensors, and thus any
   * optimizer holding them, stay the same objects). Every given tensor must match its parameter's shape
   * and dtype. Strict mode (default) also requires the keys to be exactly {@link Module.stateDict}'s
   * keys. `stateDict` may be a plain object or a `Map` (what io-onnx's `onnxToStateDict` returns).
   * Throws {@link StateDictError} naming every offending key (including values that are not Tensors) or
   * for a `stateDict` that is neither an object nor a Map; nothing is written when it throws.
   */
  loadStateDict(stateDict: Record<string, Tensor> | ReadonlyMap<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const name = `${this.constructor.name}.loadStateDict`;
    if (!(stateDict instanceof Map) && (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict))) {
      throw new StateDictError(`${name}: stateDict must be an object or a Map of name → Tensor, got ${stateDict === null ? 'null' : Array.isArray(stateDict) ? 'an array' : typeof stateDict}`);
    }
    const dict: Record<string, Tensor> = stateDict instanceof Map ? Object.fromEntries(stateDict) : stateDict;
    const notTensors = Object.entries(dict).filter(([, t]) => !(t instanceof Tensor));
    if (notTensors.length > 0) {
      const what = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);
      throw new StateDictError(`${name}: values must be Tensors: ${notTensors.map(([k, v]) => `'${k}' is ${what(v)}`).join(', ')}`);
    }
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in dict));
    const unexpectedKeys = Object.keys(dict).filter((k) => !(k in own));
    const problems: string[] = [];
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    for (const [k, t] of Object.entries(dict)) {
      const p = own[k];
      if (p === undefined) continue;
      if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
        problems.push(`'${k}': shape [${t.shape.join(', ')}] does not match the parameter's [${p.shape.join(', ')}]`);
      } else if (t.dtype !== p.dtype) {
        problems.push(`'${k}': dtype ${t.dtype} does not match the parameter's ${p.dtype}`);
      }
    }
    if (problems.length > 0) throw new StateDictError(`${name}: ${problems.join('; ')}`);
    for (const [k, t] of Object.entries(dict)) {
      const p = own[k];
      if (p !== undefined && p !== t) assignInPlace(p, t, `loadStateDict '${k}'`);
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Sets training mode on this module and all descendants (torch `train`). Returns this. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)` (dropout becomes the identity). Returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Drops every parameter's gradient (disposing it), torch's `zero_grad(set_to_none=True)`. */
  zeroGrad(): void {
    for (const t of this.parameters()) {
      t.grad?.dispose();
      t.grad = null;
    }
  }

  /** Total number of elements over the distinct parameters. */
  numParameters(): number {
    return this.parameters().reduce((n, t) => n + t.size, 0);
  }

  private *allParameters(prefix: string): IterableIterator<[string, Tensor]> {
    for (const [name, t] of this.params) yield [prefix + name, t];
    for (const [name, child] of this.children) yield* child.allParameters(`${prefix}${name}.`);
  }
}

function checkName(name: string, m: Module): void {
  if (name === '' || name.includes('.')) throw new ArgumentError(`${m.constructor.name}: invalid parameter/module name '${name}' (non-empty, no '.')`);
}
