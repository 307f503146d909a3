import type { Backend, BackendMemory, DataId } from './backend';
import type { DType, TypedArray } from './dtype';
import { GorchError } from './errors';
import type { Shape } from './shape';

/**
 * The reference backend: tensor data lives in JS typed arrays. `write` keeps the given array (the
 * engine hands over ownership), `read` returns it without copying.
 */
export class JsBackend implements Backend {
  readonly name = 'js';
  private readonly store = new Map<DataId, TypedArray>();
  private bytes = 0;

  write(values: TypedArray, _shape: Shape, _dtype: DType): DataId {
    const id = {};
    this.store.set(id, values);
    this.bytes += values.byteLength;
    return id;
  }
  read(dataId: DataId): TypedArray {
    const v = this.store.get(dataId);
    if (v === undefined) throw new GorchError('E_DISPOSED', "js backend: read of disposed or foreign data");
    return v;
  }
  disposeData(dataId: DataId): void {
    const v = this.store.get(dataId);
    if (v === undefined) return;
    this.bytes -= v.byteLength;
    this.store.delete(dataId);
  }
  numDataIds(): number {
    return this.store.size;
  }
  memory(): BackendMemory {
    return { numDataIds: this.store.size, numBytes: this.bytes };
  }
}
