import { getKernel, registerKernel, GorchError, type KernelArgs, type KernelOutput, type TensorInfo } from '@gorch/tensor';
import { WasmBackend, WasmData, withOomContext } from '../backend';

/** Per-call context of a wasm kernel: the backend and temporaries freed when the kernel returns. */
export interface WasmCall {
  be: WasmBackend;
  temps: WasmData[];
}

/** A wasm kernel body; returning `null` hands the call to the `'js'` kernel (unsupported dtype, axis…). */
export type WasmKernelBody = (args: KernelArgs, call: WasmCall) => KernelOutput | null;

/**
 * Registers `body` as the `'wasm'` kernel `kernelName`. Whatever the body declines runs the JS kernel,
 * which reads inputs through `WasmBackend.read`, so results differ only by float rounding.
 */
export function registerWasmKernel(kernelName: string, body: WasmKernelBody): void {
  registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const be = args.backend;
      if (!(be instanceof WasmBackend)) throw new GorchError('E_BACKEND', `${kernelName}: wasm kernel called with backend '${be.name}'`);
      const where = (): string => `${kernelName} (inputs ${args.inputs.map((i) => `[${i.shape.join(', ')}]`).join(', ')})`;
      return withOomContext(where, () => be.guarded(() => {
        const call: WasmCall = { be, temps: [] };
        let out: KernelOutput | null;
        try {
          out = body(args, call);
        } finally {
          for (const t of call.temps) be.disposeData(t);
        }
        if (out !== null) return out;
        const js = getKernel(kernelName, 'js');
        if (js === undefined) throw new GorchError('E_NO_KERNEL', `${kernelName}: no wasm path for these inputs and no 'js' kernel`);
        return js.kernelFunc(args);
      }));
    },
  });
}

/** Storage of a kernel input (always a wasm buffer: the engine copies foreign inputs in first). */
export function storage(call: WasmCall, info: TensorInfo): WasmData {
  return call.be.data(info.dataId);
}

/**
 * Storage of `info` that layout-aware kernels (Linear, embedding) may read in place: its own when it
 * is row-major, or laid out (panels / transposed) for exactly `info.shape`. A reshape shares storage,
 * so a [N, K] panel buffer seen through shape [K, N] or [N * K] no longer matches: then a row-major
 * float32 temporary, whose element order is the same for every shape of the tensor.
 */
export function layoutStorage(call: WasmCall, info: TensorInfo): WasmData {
  const d = storage(call, info);
  const m = d.panelsOf ?? d.transposedOf;
  if (m === null || (info.shape.length === 2 && info.shape[0] === m[0] && info.shape[1] === m[1])) return d;
  const t = call.be.materialize(d);
  call.temps.push(t);
  return t;
}

/** Pointer to row-major float32 values of `info`, widening / unpacking other storage into a temporary. */
export function f32Ptr(call: WasmCall, info: TensorInfo): number {
  const d = storage(call, info);
  if (d.format === 'int32') throw new GorchError('E_KERNEL', 'f32Ptr: int32 storage');
  if (d.format === 'float32' && d.rowMajor) return d.ptr;
  const t = call.be.materialize(d);
  call.temps.push(t);
  return t.ptr;
}

/** A fresh float32 output buffer, returned to the engine as the kernel's result. */
export function output(call: WasmCall, shape: number[]): { data: WasmData; result: KernelOutput } {
  const size = shape.reduce((p, q) => p * q, 1);
  const data = withOomContext(() => `result of shape [${shape.join(', ')}]`, () => call.be.allocate(size, 'float32'));
  return { data, result: { dataId: data, shape, dtype: 'float32' } };
}

/** True when every input is a float32 tensor (half-width storage included). */
export function allFloat32(inputs: TensorInfo[]): boolean {
  return inputs.every((i) => i.dtype === 'float32');
}

/** True when `info` is stored plainly (contiguous, 4-byte elements), so its heap bytes can be copied as they are. */
export function plain(call: WasmCall, info: TensorInfo): boolean {
  const d = storage(call, info);
  return (d.format === 'float32' || d.format === 'int32') && d.rowMajor;
}
