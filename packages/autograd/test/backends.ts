// Backends the test bodies run on: every backend @gorch/tensor reports, plus 'copying', a storage-only
// backend registered here with no kernels of its own. Every kernel run on it goes through the engine's
// fallback to the 'js' kernels (inputs read through their owning backend, outputs written to the
// active one), which is the path a wasm backend missing a kernel takes; its read/write copies, as a
// heap-backed backend would, so no gradient can rely on sharing a JS array with its input.
import { registerBackend, registeredBackends, type Backend, type DataId, type DType, type Shape, type TypedArray } from '@gorch/tensor';

class CopyingBackend implements Backend {
  readonly name = 'copying';
  private readonly store = new Map<DataId, TypedArray>();
  write(values: TypedArray, _shape: Shape, _dtype: DType): DataId {
    const id = {};
    this.store.set(id, values.slice());
    return id;
  }
  read(dataId: DataId): TypedArray {
    const v = this.store.get(dataId);
    if (v === undefined) throw new Error('copying backend: read of disposed data');
    return v.slice();
  }
  disposeData(dataId: DataId): void {
    this.store.delete(dataId);
  }
  numDataIds(): number {
    return this.store.size;
  }
  memory() {
    let numBytes = 0;
    for (const v of this.store.values()) numBytes += v.byteLength;
    return { numDataIds: this.store.size, numBytes };
  }
}

// Priority 0: below 'js', so it never becomes the default for other test files.
if (!registeredBackends().includes('copying')) registerBackend('copying', () => new CopyingBackend(), 0);

/** Names of the backends to run every test body on. */
export function testBackends(): string[] {
  return registeredBackends();
}
