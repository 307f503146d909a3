// Public API of @gorch/autograd. Importing this module installs autograd into @gorch/tensor's engine
// (recorder, backward hook, gradient registry): a side-effect import, see package.json "sideEffects".
import { engine, setBackwardHook } from '@gorch/tensor';
import { backward } from './backward';
import { registerGradient } from './grad_registry';
import { builtinGradients } from './grads/index';
import { record } from './tape';

for (const g of builtinGradients) registerGradient(g);
engine.setRecorder(record);
setBackwardHook((t, gradient) => backward(t, gradient));

export { backward } from './backward';
export { noGrad, enableGrad, isGradEnabled, detach } from './no_grad';
export { registerGradient, getGradient, registeredGradients, type GradConfig, type GradFunc, type GradContext } from './grad_registry';
export { unbroadcast } from './unbroadcast';
export { isLeaf, producerOf, type TapeNode } from './tape';
