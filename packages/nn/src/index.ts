// Public API of @gorch/nn.
export { Module, type StateDict, type LoadStateDictOptions, type LoadStateDictResult } from './module';
export { ModuleList } from './module_list';
export { StateDictError, ContextLengthError, ArgumentError } from './errors';
export { type InitOptions, uniform, normal, constant } from './init';
export { Linear, type LinearOptions } from './linear';
export { ReLU, Sigmoid, Tanh, Softmax, LogSoftmax, GELU, type GELUOptions, type ActivationName, activationModule } from './activations';
export { Conv2d, type Conv2dOptions, type Pair } from './conv2d';
export { MaxPool2d, type MaxPool2dOptions } from './max_pool2d';
export { Flatten } from './flatten';
export { Sequential, type TensorModule } from './sequential';
export { Embedding } from './embedding';
export { LayerNorm, type LayerNormOptions } from './layer_norm';
export { Dropout, type DropoutOptions } from './dropout';
export { MultiHeadAttention, type AttentionConfig, type AttentionForwardOptions } from './attention';
export { TransformerBlock, MLP, type TransformerBlockConfig } from './transformer_block';
export { KVCache, type LayerKV } from './kv_cache';
export { GPT, type GPTConfig, type GPTOptions, type GPTForwardOptions } from './gpt';
export { mseLoss, crossEntropy, type CrossEntropyOptions } from './losses';
