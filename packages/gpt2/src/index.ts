export { CheckpointError, ConfigError, GenerateError, PickleError, TensorLayoutError } from './errors';
export { configFromJSON, gpt2Small, parameterCount, tinyStories1M, validateConfig } from './config';
export type { AttentionKind, GPT2Config } from './config';
export type { HostTensor } from './host_tensor';
export { unpickle } from './pickle';
export type { PickleGlobal, UnpickleOptions } from './pickle';
export { readTorchZip } from './torch_zip';
export { gorchParamSpecs, gorchToHF, hfToGorch } from './layout';
export type { MappedCheckpoint, ParamSpec } from './layout';
