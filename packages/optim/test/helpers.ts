// The golden-file helpers of @gorch/nn's tests (same JSON format, written by tools/fixtures/gpt_reference.py).
export { expectClose, fromJson, type JsonTensor } from '../../nn/test/helpers';
