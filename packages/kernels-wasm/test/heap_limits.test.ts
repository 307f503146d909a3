// The wasm32 heap's limits: requests of 4 GiB or more must fail with E_WASM_OOM before reaching C
// (size_t is 32-bit, so 2^32 + 4096 bytes used to arrive as 4096 and the kernel wrote across live
// tensors), a failed kernel must free what it allocated, and pointers above 2 GiB (negative as i32)
// must work. The 2 GiB block is allocated uninitialised, so only its header pages become resident.
import * as T from '@gorch/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend, WasmBackend, WasmKernelError } from '../src/index';

let be: WasmBackend;
beforeAll(async () => {
  await initWasmBackend();
  be = T.getBackend() as WasmBackend;
});
afterAll(() => T.setBackend('js'));

/** Calls `fn`, expecting a WasmKernelError E_WASM_OOM; returns its message. */
function oomMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WasmKernelError);
    expect((e as WasmKernelError).code).toBe('E_WASM_OOM');
    return (e as Error).message;
  }
  throw new Error('expected E_WASM_OOM, nothing was thrown');
}

const values = (t: T.Tensor): number[] => Array.from(t.dataSync());

describe('wasm heap limits', () => {
  it('refuses a 4 GiB + 4 KiB result without touching live tensors', () => {
    const a = T.full([1024, 1], 7), b = T.zeros([1, 1048577]); // a + b: 2^30 + 1024 float32 = 2^32 + 4096 bytes
    const hole = T.zeros([4096]);
    const victim = T.tensor([1, 2, 3]);
    hole.dispose(); // a 16 KiB free block: exactly where a wrapped 4096-byte request would have landed
    const { numDataIds, numBytes, heapBytes } = be.memory();
    const msg = oomMessage(() => T.add(a, b));
    expect(msg).toContain('Add');
    expect(msg).toContain('[1024, 1048577]');
    expect(msg).toContain(String(2 ** 32 + 4096));
    expect(values(victim)).toEqual([1, 2, 3]);
    expect(be.memory()).toEqual({ numDataIds, numBytes, heapBytes });
    expect(values(T.add(T.tensor([1, 2]), 1))).toEqual([2, 3]);
    const mm = oomMessage(() => T.matmul(a, b));
    expect(mm).toContain('MatMul');
    expect(values(victim)).toEqual([1, 2, 3]);
    [a, b, victim].forEach((t) => t.dispose());
  });

  it('frees the result a kernel already allocated when a later buffer does not fit', () => {
    // conv2d 1x1x400x400 with a 200x200 kernel: the result is 201x201, its im2col buffer 40000 x 40401 floats (6.5 GB)
    const x = T.zeros([1, 1, 400, 400]), w = T.zeros([1, 1, 200, 200]);
    const before = be.memory();
    expect(oomMessage(() => T.conv2d(x, w))).toContain('Conv2D');
    expect(be.memory()).toEqual(before);
    x.dispose();
    w.dispose();
  });

  it('rejects byte counts that are negative or not integers', () => {
    for (const n of [-1, 1.5, NaN, Infinity]) {
      expect(() => be.km.malloc(n)).toThrow(expect.objectContaining({ code: 'E_WASM_ARG' }));
    }
  });

  it('works with tensors above 2 GiB and after the heap cannot grow', () => {
    const spacer = be.km.malloc(2 ** 31); // pushes every later large block past 2^31
    try {
      const x = T.full([1 << 24], 3); // 64 MiB: fits in no hole below the spacer
      expect(be.data(x.dataId).ptr).toBeGreaterThan(2 ** 31);
      const y = T.add(x, 1);
      expect(be.data(y.dataId).ptr).toBeGreaterThan(2 ** 31);
      const yv = y.dataSync();
      expect([yv[0], yv[(1 << 24) - 1]]).toEqual([4, 4]);
      expect(values(T.matmul(x.reshape([4096, 4096]), T.ones([4096, 1])).slice(0, 0, 3))).toEqual([12288, 12288, 12288]);
      // a second 2 GiB block would take the heap past 4 GiB: sbrk refuses, malloc returns 0
      expect(oomMessage(() => be.km.malloc(2 ** 31))).toContain(String(2 ** 31));
      expect(values(T.add(T.tensor([1, 2]), 1))).toEqual([2, 3]);
      expect(values(y.slice(0, 5, 7))).toEqual([4, 4]);
      x.dispose();
      y.dispose();
    } finally {
      be.km.free(spacer);
    }
    expect(values(T.mul(T.tensor([1, 2]), 3))).toEqual([3, 6]);
  });
});
