import { KernelName, where } from '@gorch/tensor';
import type { GradConfig } from '../grad_registry';
import { unbroadcast } from '../unbroadcast';

/** d where(cond, a, b): dy goes to a where cond ≠ 0 and to b elsewhere; cond gets none. */
export const whereGrad: GradConfig = {
  kernelName: KernelName.Where,
  gradFunc: ([dy], { inputs: [cond, a, b] }) => [
    null,
    () => unbroadcast(where(cond, dy, 0), a.shape),
    () => unbroadcast(where(cond, 0, dy), b.shape),
  ],
};
