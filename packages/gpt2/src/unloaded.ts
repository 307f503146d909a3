import { GorchError, getBackendName, registerBackend, removeBackend, setBackend, type Backend, type DataId } from '@gorch/tensor';

/**
 * Building a model allocates every parameter (nn's `init: 'none'` fills them with zeros), i.e. a
 * whole float32 copy of the model before the first weight is read: on the wasm heap, which never
 * shrinks, that doubles the footprint of a model kept in bfloat16. A loader therefore builds the
 * module while this storage-less backend is active; each parameter then receives its loaded tensor
 * through `engine.assign`, which frees the placeholder.
 */

const NAME = 'gpt2-unloaded';

/** A parameter's storage before its checkpoint tensor arrives: a size, no values. */
class Unloaded {
  constructor(readonly bytes: number) {}
}

class UnloadedBackend implements Backend {
  readonly name = NAME;
  private readonly live = new Set<DataId>();

  write(values: { byteLength: number }): DataId {
    const id = new Unloaded(values.byteLength);
    this.live.add(id);
    return id;
  }

  read(): never {
    throw new GorchError('E_BACKEND', 'gpt2: a parameter was read before its checkpoint tensor was loaded');
  }

  disposeData(id: DataId): void {
    this.live.delete(id);
  }

  numDataIds(): number {
    return this.live.size;
  }

  memory(): { numDataIds: number; numBytes: number } {
    return { numDataIds: this.live.size, numBytes: 0 };
  }
}

/**
 * Runs `build` (synchronous, so nothing else can create tensors meanwhile) with the placeholder
 * backend active: tensors it creates hold no values. The previous backend is active again and the
 * placeholder unregistered when it returns or throws.
 */
export function buildUnloaded<T>(build: () => T): T {
  const previous = getBackendName();
  registerBackend(NAME, () => new UnloadedBackend(), -Infinity);
  try {
    setBackend(NAME);
    return build();
  } finally {
    setBackend(previous);
    removeBackend(NAME);
  }
}

/** True while `t`'s storage is still a placeholder of {@link buildUnloaded}. */
export function isUnloaded(t: { dataId: DataId }): boolean {
  return t.dataId instanceof Unloaded;
}
