// ONNXTensor (plain typed arrays) -> gorch Tensor. gorch has float32 and int32 only.
import { tensor, type Tensor } from '@gorch/tensor';
import { bfloat16ToFloat32, float16ToFloat32 } from './data_type';
import { ONNXError } from './errors';
import type { ONNXTensor } from './tensor_data';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Narrows int64 / uint64 values to an Int32Array. Throws {@link ONNXError} `E_ONNX_DTYPE` naming
 * `what` and the first value outside [-2^31, 2^31 - 1].
 */
export function int64ToInt32(values: BigInt64Array | BigUint64Array | Uint32Array, what: string): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (v < INT32_MIN || v > INT32_MAX) {
      throw new ONNXError('E_ONNX_DTYPE', `${what}: value ${values[i]} at index ${i} does not fit gorch's int32`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * The values of an ONNX tensor in one of gorch's two element types: float32 (from float32, float16,
 * bfloat16, and float64 rounded to nearest) or int32 (from every integer type and bool; int64,
 * uint32 and uint64 only when every value fits). Throws {@link ONNXError} `E_ONNX_DTYPE` for string,
 * complex, float8 and 4-bit types and for integers outside int32.
 */
export function onnxTensorValues(t: ONNXTensor): Float32Array | Int32Array {
  const what = `tensor '${t.name}'`;
  switch (t.dtype) {
    case 'float32': return t.data as Float32Array;
    case 'float16': return float16ToFloat32(t.data as Uint16Array);
    case 'bfloat16': return bfloat16ToFloat32(t.data as Uint16Array);
    case 'float64': return Float32Array.from(t.data as Float64Array);
    case 'int32': return t.data as Int32Array;
    case 'int8': case 'uint8': case 'int16': case 'uint16': case 'bool':
      return Int32Array.from(t.data as ArrayLike<number>);
    case 'int64': case 'uint64': case 'uint32':
      return int64ToInt32(t.data as BigInt64Array | BigUint64Array | Uint32Array, what);
    default:
      throw new ONNXError('E_ONNX_DTYPE', `${what} has ONNX type ${t.dtype}, which gorch tensors (float32, int32) cannot hold`);
  }
}

/** A gorch Tensor (a copy) of an ONNX tensor, with dtype as in {@link onnxTensorValues}. */
export function onnxTensorToTensor(t: ONNXTensor): Tensor {
  const values = onnxTensorValues(t);
  return tensor(values, { shape: t.dims, dtype: values instanceof Int32Array ? 'int32' : 'float32' });
}

/** Every initializer of a parsed file as gorch Tensors, by name in file order (a `state_dict`). */
export function onnxTensors(file: { names: string[]; tensors: Map<string, ONNXTensor> }): Map<string, Tensor> {
  return new Map(file.names.map((name) => [name, onnxTensorToTensor(file.tensors.get(name)!)]));
}
