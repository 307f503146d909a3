// Runs ONNX bytes in onnxruntime-node and compares with gorch.
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';

export async function runOrt(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

export const ortFloat = (data: ArrayLike<number>, dims: number[]) => new ort.Tensor('float32', Float32Array.from(data), dims);
export const ortInt64 = (data: ArrayLike<number>, dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(Array.from(data), BigInt), dims);

/** |a - b| <= atol + rtol·|b| elementwise, with the worst index in the message. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, atol = 1e-5, rtol = 1e-5): void {
  expect(got.length).toBe(want.length);
  let worst = -1;
  let excess = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) - (atol + rtol * Math.abs(want[i]));
    if (!(e <= excess)) {
      excess = Number.isNaN(e) ? Infinity : e;
      worst = i;
    }
  }
  expect(worst, worst < 0 ? '' : `index ${worst}: got ${got[worst]}, want ${want[worst]}`).toBe(-1);
}
