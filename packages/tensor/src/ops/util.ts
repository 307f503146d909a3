import { engine } from '../engine';
import { GorchError } from '../errors';
import { Tensor } from '../tensor';

/** Throws `E_ARG` unless `x` is a live Tensor. */
export function assertTensor(x: unknown, op: string, arg: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new GorchError('E_ARG', `${op}: argument '${arg}' must be a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/**
 * Converts number operands to 0-d tensors: int32 when the number is an integer and the other operand is
 * int32, else float32 (so `intTensor.mul(0.5)` is float32, like torch's type promotion for Python scalars).
 */
export function operand(x: Tensor | number, other: Tensor | number, op: string, arg: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new GorchError('E_ARG', `${op}: argument '${arg}' must be a Tensor or a number, got ${typeof x}`);
  const int = Number.isInteger(x) && other instanceof Tensor && other.dtype === 'int32';
  return engine.makeTensor(int ? Int32Array.of(x) : Float32Array.of(x), [], int ? 'int32' : 'float32');
}

/**
 * Runs a kernel whose inputs may include constants made by {@link operand}. The constants are disposed
 * right away unless the run was recorded for autograd (then the tape holds them and the enclosing scope
 * or the tape owner frees them).
 */
export function runWithConstants(kernelName: string, inputs: Tensor[], given: unknown[], attrs: Record<string, unknown> = {}): Tensor {
  const out = engine.runKernel(kernelName, inputs, attrs);
  const recorded = engine.isRecording() && inputs.some((t) => t.requiresGrad) && engine.hasRecorder();
  if (!recorded) for (let i = 0; i < inputs.length; i++) if (inputs[i] !== given[i]) inputs[i].dispose();
  return out;
}

/** True when a kernel run on `inputs` right now is recorded for autograd (so its tensors must stay alive). */
export function recorded(inputs: readonly Tensor[]): boolean {
  return engine.hasRecorder() && engine.isRecording() && inputs.some((t) => t.requiresGrad);
}

/** Disposes intermediates of a composed op unless autograd recorded them. */
export function disposeIntermediates(inputs: readonly Tensor[], intermediates: readonly Tensor[]): void {
  if (!recorded(inputs)) for (const t of intermediates) t.dispose();
}
