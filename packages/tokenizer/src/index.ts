export { BPETokenizer, type EncodeOptions, type VocabMergesOptions } from './bpe_tokenizer';
export { StreamingDecoder } from './streaming_decoder';
export { SimpleTokenizer } from './simple_tokenizer';
export { loadTokenizer, loadTokenizerJSON } from './load_tokenizer';
export { TokenizerError, TokenizerFileError, UnknownTokenIdError } from './errors';
export { bytesToUnicode } from './byte_level';
export { pretokenize, GPT2_PATTERN } from './pretokenize';
export { BATCH_WORKER_THRESHOLD } from './encode_batch';
export type { BPEModelData, AddedToken } from './model_data';
