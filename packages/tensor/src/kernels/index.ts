import type { KernelConfig } from '../kernel_registry';
import { attentionKernel } from './attention';
import { binaryKernels } from './binary';
import { conv2dKernel, maxPool2dKernel } from './conv';
import { im2colKernel, col2imKernel } from './im2col';
import { gatherKernel, indexAddKernel, indexSelectKernel, scatterAddKernel } from './indexing';
import { layerNormKernel } from './layer_norm';
import { linearKernel, matMulKernel } from './matmul';
import { reduceKernels } from './reduce';
import { reshapeKernel } from './reshape';
import { softmaxKernels } from './softmax';
import { broadcastToKernel, cloneKernel, concatKernel, sliceKernel, transposeKernel, triangularKernel } from './transform';
import { unaryKernels } from './unary';
import { whereKernel } from './where';

/** Every kernel of the `'js'` backend; the engine registers them at start-up. */
export const jsKernels: KernelConfig[] = [
  ...binaryKernels,
  ...unaryKernels,
  whereKernel,
  reshapeKernel as KernelConfig,
  transposeKernel,
  broadcastToKernel,
  cloneKernel,
  sliceKernel,
  concatKernel,
  triangularKernel,
  indexSelectKernel,
  indexAddKernel,
  gatherKernel,
  scatterAddKernel,
  matMulKernel,
  linearKernel,
  ...reduceKernels,
  ...softmaxKernels,
  layerNormKernel,
  im2colKernel,
  col2imKernel,
  conv2dKernel,
  maxPool2dKernel,
  attentionKernel,
];
