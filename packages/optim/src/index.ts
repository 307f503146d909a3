// Public API of @gorch/optim.
export { Optimizer, type GroupOptions, type ParamGroup, type ParamsInput } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, AdamW, type AdamOptions } from './adam';
export { clipGradNorm } from './clip_grad_norm';
export { LRScheduler, LambdaLR, StepLR, CosineAnnealingLR, linearWarmupCosine, type Schedule, type WarmupCosineOptions } from './lr_scheduler';
