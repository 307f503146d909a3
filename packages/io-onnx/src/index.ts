// Public API of @gorch/io-onnx.
export { ONNXError, UnsupportedModuleError, UnsupportedNodeError, type ONNXErrorCode } from './errors';
export { DataType, DATA_TYPES, float16ToFloat32, bfloat16ToFloat32, type DataTypeInfo, type ONNXDataTypeName, type ONNXTypedArray } from './data_type';
export type { ONNXTensor, ExternalDataReader } from './tensor_data';
export type { ONNXFile, ONNXGraph, ONNXNode, ONNXValueInfo, ONNXDim, ONNXOpsetImport, AttributeValue, AttributeTypeName } from './onnx_file';
export { parseONNX, parseTensorProto, type ParseONNXOptions } from './parse';
export { loadONNX, externalDataReader } from './load';
export { topologicalOrder } from './graph_order';
export { checkWireFormat, MAX_DEPTH } from './wire_check';
export { ONNX_SCHEMA_JSON, onnxRoot, onnxType } from './schema';
export { onnxTensorToTensor, onnxTensorValues, onnxTensors, int64ToInt32 } from './to_tensor';
export { onnxToStateDict, type GPT2ShapeConfig, type ONNXStateDict, type StateDictTensor } from './state_dict';
export { ONNXModelBuilder, float, type BuilderAttribute, type BuilderDim, type BuilderOptions, type BuilderTensor } from './builder';
export { writeFileAtomic } from './write_file';
export { sequentialToONNXBytes, exportSequentialToONNX, linearToONNXBytes, exportLinearToONNX, BATCH_DIM } from './export_sequential';
export { importSequential } from './import_sequential';
export { identifyActivation, erf } from './elementwise_probe';
export { gptToONNXBytes, exportGPTToONNX } from './export_gpt';
export { toONNXBytes } from './to_onnx_bytes';
