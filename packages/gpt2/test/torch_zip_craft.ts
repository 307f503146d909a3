// Builds small torch.save-style archives byte by byte (pickle opcodes from CPython's
// Lib/pickletools.py; the persistent id layout from torch/serialization.py `_save`), for tests of
// hostile files. Same shapes as /tmp/breaker's mk.py `tensor_pkl`.
import { zipSync } from 'fflate';

const ascii = (s: string) => [...Buffer.from(s, 'latin1')];
const u32le = (n: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return [...b]; };
const i64le = (n: number) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigInt64(0, BigInt(n), true); return [...b]; };
const binunicode = (s: string) => [0x58, ...u32le(Buffer.byteLength(s)), ...ascii(s)];
const long1 = (n: number) => [0x8a, 0x08, ...i64le(n)];

/** One tensor of a crafted state dict. */
export interface CraftTensor {
  name: string;
  size: number[];
  stride: number[];
  offset?: number;
  storage?: string;
  key?: string;
  /** Storage numel as the persistent id declares it. */
  numel: number;
}

/** `data.pkl` of `{name: _rebuild_tensor_v2(storage, offset, size, stride, False, {})}`. */
export function tensorPickle(tensors: CraftTensor[]): Uint8Array {
  const out: number[] = [0x80, 0x02, 0x7d, 0x28];
  for (const t of tensors) {
    out.push(...binunicode(t.name), ...ascii('ctorch._utils\n_rebuild_tensor_v2\n'));
    out.push(0x28, 0x28, ...binunicode('storage'), ...ascii(`ctorch\n${t.storage ?? 'FloatStorage'}\n`));
    out.push(...binunicode(t.key ?? '0'), ...binunicode('cpu'), ...long1(t.numel), 0x74, 0x51);
    out.push(...long1(t.offset ?? 0));
    out.push(0x28, ...t.size.flatMap(long1), 0x74, 0x28, ...t.stride.flatMap(long1), 0x74);
    out.push(0x89, 0x7d, 0x74, 0x52);
  }
  out.push(0x75, 0x2e);
  return Uint8Array.from(out);
}

/** A zip `archive/data.pkl` + `archive/byteorder` + `archive/data/<key>` for each storage given. */
export function craftTorchZip(tensors: CraftTensor[], storages: Record<string, Uint8Array>, extra: Record<string, Uint8Array> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = { 'archive/data.pkl': tensorPickle(tensors), 'archive/byteorder': Uint8Array.from(ascii('little')) };
  for (const [k, v] of Object.entries(storages)) files[`archive/data/${k}`] = v;
  for (const [k, v] of Object.entries(extra)) files[k] = v;
  return zipSync(files);
}

/**
 * Rewrites fields of the central-directory record of `name` (what readers trust): the compression
 * method and the declared uncompressed size. Local headers are left alone.
 */
export function patchCentral(zip: Uint8Array, name: string, patch: { method?: number; originalSize?: number }): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  const want = Buffer.from(name);
  for (let o = 0; o + 46 <= out.length; o++) {
    if (dv.getUint32(o, true) !== 0x02014b50) continue;
    const len = dv.getUint16(o + 28, true);
    if (!Buffer.from(out.subarray(o + 46, o + 46 + len)).equals(want)) continue;
    if (patch.method !== undefined) dv.setUint16(o + 10, patch.method, true);
    if (patch.originalSize !== undefined) dv.setUint32(o + 24, patch.originalSize, true);
    return out;
  }
  throw new Error(`no central-directory record for ${name}`);
}
