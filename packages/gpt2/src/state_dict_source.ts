import type { CheckpointSource } from './checkpoint';
import { CheckpointError } from './errors';
import { numel, type HostTensor } from './host_tensor';

/** An in-memory Hugging Face state dict: key -> tensor, as a Map or a plain object. */
export type StateDict = ReadonlyMap<string, HostTensor> | Readonly<Record<string, HostTensor>>;

function checkTensor(key: string, t: HostTensor | undefined, name: string): HostTensor {
  if (typeof t !== 'object' || t === null) throw new CheckpointError(`${name}: tensor "${key}" is not a {shape, data} object`);
  if (!(t.data instanceof Float32Array) && !(t.data instanceof Int32Array)) {
    throw new CheckpointError(`${name}: tensor "${key}" data must be a Float32Array or an Int32Array`);
  }
  if (!Array.isArray(t.shape) || t.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new CheckpointError(`${name}: tensor "${key}" has an invalid shape ${JSON.stringify(t.shape)}`);
  }
  if (numel(t.shape) !== t.data.length) {
    throw new CheckpointError(`${name}: tensor "${key}" has shape [${t.shape.join(', ')}] (${numel(t.shape)} elements) but ${t.data.length} values`);
  }
  return t;
}

/**
 * Wraps a Hugging Face GPT-2 / GPT-Neo state dict that is already in memory (e.g. io-onnx's
 * `onnxToStateDict(...).tensors`, or io-safetensors' `loadSafetensors(...).tensors` narrowed to
 * float32) as a {@link CheckpointSource}, so `loadGPT2(source, cfg)` loads it through the same
 * layout code as a file: keys with or without `transformer.`, Conv1D weights `[in, out]`
 * (transformers `modeling_gpt2.py`), a tied `lm_head.weight` optional.
 *
 * Tensors are float32 (`Float32Array`) or int32 (`Int32Array`, only for buffers: a parameter that is
 * integer is rejected at load), row-major, `data.length === product(shape)`. They are not copied.
 *
 * @param name what error messages and the load summary call the source (a file name, e.g. `past.onnx`)
 * @throws CheckpointError (code `E_CHECKPOINT`) naming the key when a tensor is not a
 *   `{shape, data}` with a Float32Array / Int32Array whose length matches its shape
 */
export function checkpointFromStateDict(tensors: StateDict, name: string): CheckpointSource {
  const entries: [string, HostTensor][] = tensors instanceof Map ? [...tensors] : Object.entries(tensors as Record<string, HostTensor>);
  const map = new Map<string, HostTensor>();
  for (const [key, t] of entries) map.set(key, checkTensor(key, t, name));
  return {
    file: name,
    keys: () => [...map.keys()],
    shape: (key) => { const t = map.get(key); return t ? [...t.shape] : undefined; },
    dtype: (key) => { const t = map.get(key); return t === undefined ? undefined : t.data instanceof Float32Array ? 'float32' : 'int32'; },
    read: async (key) => {
      const t = map.get(key);
      if (!t) throw new CheckpointError(`${name}: no tensor "${key}"`);
      return t;
    },
    // dropping the references lets a caller that kept no copy free the memory once loaded
    close: async () => map.clear(),
  };
}
