// A minimal F32-only safetensors reader for comparing against the fixtures' HF checkpoints
// (io-onnx may not depend on @gorch/io-safetensors).
import { readFileSync } from 'node:fs';

export function readF32Safetensors(path: string): Map<string, { shape: number[]; data: Float32Array }> {
  const bytes = readFileSync(path);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + headerLength;
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (entry.dtype !== 'F32') throw new Error(`${path}: ${name} is ${entry.dtype}`);
    const [start, end] = entry.data_offsets;
    out.set(name, { shape: entry.shape, data: new Float32Array(new Uint8Array(bytes.subarray(base + start, base + end)).buffer) });
  }
  return out;
}
