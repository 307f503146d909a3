// Public API of @gorch/cli: the command as a function, for embedding and in-process tests.
export { buildProgram, main } from './main';
export type { CliIO, OutStream } from './io';
export { processIO } from './io';
export { CliError } from './errors';
export { BACKENDS, useBackend, type BackendName } from './backend';
export { DEFAULT_MAX_NEW_TOKENS, EMBEDDED_MAX_NEW_TOKENS } from './commands/generate';
export { formatSummary, summarize, type FileSummary, type TensorRow } from './commands/inspect';
export { checkOutFolder, readSequences } from './commands/finetune';
export { loadModel, loadModelAndTokenizer, loadTokenizer, MODEL_FILE_KINDS, resolveModel, type ModelSource, type ResolveOptions } from './model_source';
export { loadONNXGPT2, onnxModelConfig } from './onnx_model';
export { DTYPES, weightStorage, type DtypeName } from './weight_storage';
