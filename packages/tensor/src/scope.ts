import type { Tensor } from './tensor';

/** One `tidy` scope: the tensors created while it is open. */
export interface Scope {
  readonly tensors: Tensor[];
  readonly parent: Scope | null;
}

interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

/**
 * Tracks the current scope. On Node (`process.getBuiltinModule` available) it uses AsyncLocalStorage, so
 * concurrent async `tidy` calls each see their own scope across `await`. Elsewhere (browsers) it falls back
 * to a plain stack: correct for sync and for sequential async scopes, but tensors created by unrelated
 * concurrent async code while an async scope is open are attributed to that scope.
 */
export class ScopeTracker {
  private readonly als: AsyncLocalStorageLike<Scope | null> | null;
  private stack: Scope | null = null;

  constructor() {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => any } }).process;
    const hooks = proc?.getBuiltinModule?.('node:async_hooks');
    this.als = hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : null;
  }

  current(): Scope | null {
    return this.als ? (this.als.getStore() ?? null) : this.stack;
  }

  /** Runs `fn` with `scope` current (for an async `fn`, across its awaits). */
  run<R>(scope: Scope, fn: () => R): R {
    if (this.als) return this.als.run(scope, fn);
    const prev = this.stack;
    this.stack = scope;
    try {
      const r = fn();
      if (r instanceof Promise) {
        // Stack mode: the scope stays current until the promise settles.
        return r.finally(() => {
          this.stack = prev;
        }) as R;
      }
      this.stack = prev;
      return r;
    } catch (e) {
      this.stack = prev;
      throw e;
    }
  }
}
