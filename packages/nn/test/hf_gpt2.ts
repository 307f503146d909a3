import { tensor, type Tensor } from '@gorch/tensor';
import { readFileSync } from 'node:fs';

/**
 * Reads an F32 Hugging Face GPT-2 safetensors file into gorch GPT state-dict names: drops the
 * `transformer.` prefix and the `attn.bias` / `attn.masked_bias` buffers, and transposes the Conv1D
 * weights ([in, out] in HF) to Linear's [out, in]. Test/bench helper only (the real loader is
 * @gorch/gpt2's); the safetensors layout is 8-byte little-endian header length, JSON header, data.
 */
export function loadSafetensors(path: string): Record<string, Tensor> {
  const buf = readFileSync(path);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const out: Record<string, Tensor> = {};
  for (const [key, info] of Object.entries(header)) {
    if (key === '__metadata__' || /\.attn\.(masked_)?bias$/.test(key)) continue;
    if (info.dtype !== 'F32') throw new Error(`${key}: ${info.dtype} not handled by this bench`);
    const [a, b] = info.data_offsets;
    const bytes = buf.subarray(8 + n + a, 8 + n + b);
    let v = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let shape = info.shape;
    const name = key.replace(/^transformer\./, '');
    // HF GPT-2 Conv1D stores [in, out]; gorch Linear is [out, in].
    if (/\.(c_attn|c_proj|c_fc)\.weight$/.test(name)) {
      const [r, c] = shape;
      const t = new Float32Array(v.length);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = v[i * c + j];
      v = t;
      shape = [c, r];
    }
    out[name] = tensor(v, { shape });
  }
  return out;
}
