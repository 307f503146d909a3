import { KernelName } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { unbroadcast } from '../unbroadcast';

/** d broadcastTo(x) = dy summed over the broadcast dims. */
export const broadcastToGrad: GradConfig = {
  kernelName: KernelName.BroadcastTo,
  gradFunc: ([dy], { inputs: [x] }) => [() => unbroadcast(dy, x.shape)],
};
