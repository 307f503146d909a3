import type { GradConfig } from '../grad_registry';
import { absGrad } from './abs';
import { addGrad } from './add';
import { attentionGrad } from './scaled_dot_product_attention';
import { broadcastToGrad } from './broadcast_to';
import { conv2dGrad } from './conv2d';
import { maxPool2dGrad } from './max_pool2d';
import { cloneGrad } from './clone';
import { col2imGrad } from './col2im';
import { concatGrad } from './concat';
import { divGrad } from './div';
import { erfGrad } from './erf';
import { expGrad } from './exp';
import { gatherGrad } from './gather';
import { geluGrad } from './gelu';
import { im2colGrad } from './im2col';
import { indexAddGrad } from './index_add';
import { indexSelectGrad } from './index_select';
import { layerNormGrad } from './layer_norm';
import { linearGrad } from './linear';
import { logGrad } from './log';
import { logSoftmaxGrad } from './log_softmax';
import { matmulGrad } from './matmul';
import { maxGrad } from './max';
import { maximumGrad } from './maximum';
import { meanGrad } from './mean';
import { minGrad } from './min';
import { minimumGrad } from './minimum';
import { mulGrad } from './mul';
import { negGrad } from './neg';
import { powGrad } from './pow';
import { reluGrad } from './relu';
import { reshapeGrad } from './reshape';
import { scatterAddGrad } from './scatter_add';
import { sigmoidGrad } from './sigmoid';
import { sliceGrad } from './slice';
import { softmaxGrad } from './softmax';
import { sqrtGrad } from './sqrt';
import { subGrad } from './sub';
import { sumGrad } from './sum';
import { tanhGrad } from './tanh';
import { transposeGrad } from './transpose';
import { triangularGrad } from './triangular';
import { varGrad } from './var';
import { whereGrad } from './where';

/** Every built-in gradient, one per differentiable kernel of @gorch/tensor. */
export const builtinGradients: GradConfig[] = [
  addGrad, subGrad, mulGrad, divGrad, powGrad, maximumGrad, minimumGrad,
  negGrad, expGrad, logGrad, sqrtGrad, absGrad, tanhGrad, sigmoidGrad, reluGrad, geluGrad, erfGrad,
  whereGrad, reshapeGrad, transposeGrad, broadcastToGrad, cloneGrad, sliceGrad, indexSelectGrad, gatherGrad,
  concatGrad, triangularGrad, matmulGrad, linearGrad, sumGrad, meanGrad, maxGrad, minGrad, varGrad,
  softmaxGrad, logSoftmaxGrad, layerNormGrad, im2colGrad, col2imGrad, indexAddGrad, scatterAddGrad,
  conv2dGrad, maxPool2dGrad, attentionGrad,
];
