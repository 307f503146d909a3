import { engine, type Tensor } from '@gorch/tensor';

/**
 * Runs `fn` with autograd recording off (torch.no_grad): no kernel run inside is recorded, so no graph
 * is built and outputs do not require grad. If `fn` returns a promise, recording stays off until it
 * settles (on a single JS thread, concurrent async work started meanwhile is also not recorded).
 * Returns what `fn` returns.
 */
export function noGrad<R>(fn: () => R): R {
  return engine.withRecording(false, fn);
}

/** Runs `fn` with recording on even inside {@link noGrad} (torch.enable_grad). */
export function enableGrad<R>(fn: () => R): R {
  return engine.withRecording(true, fn);
}

/** True when kernel runs are currently recorded (torch.is_grad_enabled). */
export function isGradEnabled(): boolean {
  return engine.isRecording();
}

/**
 * A tensor sharing `t`'s storage that is cut off the graph (torch `Tensor.detach`): it does not require
 * grad and gradients never flow through it back to `t`. Shape and dtype are `t`'s. The result is a new
 * handle: disposing it does not free `t`'s storage while `t` lives.
 */
export function detach(t: Tensor): Tensor {
  return noGrad(() => t.reshape([...t.shape]));
}
