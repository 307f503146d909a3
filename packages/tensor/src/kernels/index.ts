import type { KernelConfig } from '../kernel_registry';
import { binaryKernels } from './binary';
import { reshapeKernel } from './reshape';
import { unaryKernels } from './unary';
import { whereKernel } from './where';

/** Every kernel of the `'js'` backend; the engine registers them at start-up. */
export const jsKernels: KernelConfig[] = [...binaryKernels, ...unaryKernels, whereKernel, reshapeKernel as KernelConfig];
