// Every malformed file is a SafetensorsError whose code is the reference's name for that failure
// (huggingface/safetensors `SafeTensorError`); expectations follow its documented checks.
import { describe, expect, it } from 'vitest';
import { MAX_HEADER_SIZE, parseSafetensors, serializeSafetensors, SafetensorsError } from '../src/index.js';

const enc = new TextEncoder();

/** A file with the given raw header text (not padded unless asked) and `data` bytes after it. */
function file(header: string | Uint8Array, data = 0, n?: number): Uint8Array {
  const h = typeof header === 'string' ? enc.encode(header) : header;
  const out = new Uint8Array(8 + h.length + data);
  new DataView(out.buffer).setBigUint64(0, BigInt(n ?? h.length), true);
  out.set(h, 8);
  return out;
}

const t = (name: string, dtype: string, shape: number[], b: number, e: number) =>
  `"${name}":{"dtype":"${dtype}","shape":[${shape}],"data_offsets":[${b},${e}]}`;

function code(bytes: Uint8Array): string {
  try {
    parseSafetensors(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return (e as SafetensorsError).code;
  }
  return 'ok';
}

describe('malformed files → SafetensorsError codes', () => {
  it.each([
    ['file shorter than 8 bytes', new Uint8Array(7), 'HeaderTooSmall'],
    ['header size over the 100 MB limit', file('{}', 0, MAX_HEADER_SIZE + 1), 'HeaderTooLarge'],
    ['header size 2^64 − 1', Uint8Array.of(255, 255, 255, 255, 255, 255, 255, 255), 'HeaderTooLarge'],
    ['header size past the end of the file', file('{}', 0, 64), 'InvalidHeaderLength'],
    ['header not UTF-8', file(Uint8Array.of(0x7b, 0xff, 0x7d)), 'InvalidHeader'],
    ['header not starting with {', file(' {}'), 'InvalidHeaderStart'],
    ['header a JSON array', file('[]'), 'InvalidHeaderStart'],
    ['header not JSON', file('{"a":}'), 'InvalidHeaderDeserialization'],
    ['trailing garbage after JSON', file('{}x'), 'InvalidHeaderDeserialization'],
    ['NUL padding (serde rejects it)', file('{}\0\0'), 'InvalidHeaderDeserialization'],
    ['duplicate tensor names', file(`{${t('a', 'F32', [1], 0, 4)},${t('a', 'F32', [1], 4, 8)}}`, 8), 'InvalidHeaderDeserialization'],
    ['duplicate field in a tensor', file('{"a":{"dtype":"F32","dtype":"F32","shape":[],"data_offsets":[0,4]}}', 4), 'InvalidHeaderDeserialization'],
    ['__metadata__ with a number value', file('{"__metadata__":{"a":1}}'), 'InvalidHeaderDeserialization'],
    ['__metadata__ not an object', file('{"__metadata__":"x"}'), 'InvalidHeaderDeserialization'],
    ['unknown dtype', file(`{${t('a', 'F128', [1], 0, 16)}}`, 16), 'InvalidHeaderDeserialization'],
    ['dtype "__proto__"', file(`{${t('a', '__proto__', [1], 0, 1)}}`, 1), 'InvalidHeaderDeserialization'],
    ['float in shape', file('{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}', 4), 'InvalidHeaderDeserialization'],
    ['exponent in offsets', file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4e0]}}', 4), 'InvalidHeaderDeserialization'],
    ['negative dimension', file('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', 4), 'InvalidHeaderDeserialization'],
    ['three offsets', file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}', 4), 'InvalidHeaderDeserialization'],
    ['missing shape', file('{"a":{"dtype":"F32","data_offsets":[0,4]}}', 4), 'InvalidHeaderDeserialization'],
    ['lone surrogate escape in a name', file(`{${t('\\ud800', 'F32', [1], 0, 4)}}`, 4), 'InvalidHeaderDeserialization'],
    ['nesting 200 deep', file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":${'['.repeat(200)}${']'.repeat(200)}}}`, 4), 'InvalidHeaderDeserialization'],
    ['shape × dtype ≠ byte range', file(`{${t('a', 'F32', [2], 0, 4)}}`, 4), 'TensorInvalidInfo'],
    ['begin > end', file(`{${t('a', 'F32', [1], 4, 0)}}`, 4), 'InvalidOffset'],
    ['not starting at 0', file(`{${t('a', 'F32', [1], 4, 8)}}`, 8), 'InvalidOffset'],
    ['gap between tensors', file(`{${t('a', 'F32', [1], 0, 4)},${t('b', 'F32', [1], 8, 12)}}`, 12), 'InvalidOffset'],
    ['overlapping tensors', file(`{${t('a', 'F32', [2], 0, 8)},${t('b', 'F32', [1], 4, 8)}}`, 8), 'InvalidOffset'],
    ['shape overflow', file(`{${t('a', 'F32', [2 ** 30, 2 ** 30, 2 ** 30], 0, 4)}}`, 4), 'ValidationOverflow'],
    ['dimension over 2^53', file('{"a":{"dtype":"F32","shape":[18446744073709551615],"data_offsets":[0,4]}}', 4), 'ValidationOverflow'],
    ['sub-byte dtype not filling a byte', file(`{${t('a', 'F4', [3], 0, 2)}}`, 2), 'MisalignedSlice'],
    ['trailing bytes after the last tensor', file(`{${t('a', 'F32', [1], 0, 4)}}`, 5), 'MetadataIncompleteBuffer'],
    ['truncated file', file(`{${t('a', 'F32', [2], 0, 8)}}`, 7), 'MetadataIncompleteBuffer'],
  ])('%s → %s', (_, bytes, want) => {
    expect(code(bytes)).toBe(want);
  });

  it('names the tensor at fault', () => {
    try {
      parseSafetensors(file(`{${t('h.0.attn.bias', 'F32', [3], 0, 8)}}`, 8));
      expect.unreachable();
    } catch (e) {
      expect((e as SafetensorsError).tensor).toBe('h.0.attn.bias');
      expect((e as Error).message).toContain('h.0.attn.bias');
    }
  });
});

describe('valid edge cases', () => {
  it('empty header, zero-size tensors and 0-d scalars parse', () => {
    expect(Object.keys(parseSafetensors(file('{}      ')).tensors)).toEqual([]);
    const f = parseSafetensors(file(`{${t('s', 'F32', [], 0, 4)},${t('z', 'F32', [0, 3], 4, 4)},${t('zz', 'I64', [2, 0], 4, 4)}}`, 4));
    expect(f.tensors.s!.shape).toEqual([]);
    expect(f.tensors.s!.data.length).toBe(1);
    expect(f.tensors.z!.data.length).toBe(0);
    expect(f.tensors.zz!.data).toBeInstanceOf(BigInt64Array);
  });

  it('"__proto__" is an ordinary tensor name', () => {
    const bytes = serializeSafetensors({ ['__proto__']: { dtype: 'U8', shape: [1], data: Uint8Array.of(7) } } as never);
    const f = parseSafetensors(bytes);
    expect(Object.keys(f.tensors)).toEqual(['__proto__']);
    expect(f.tensors['__proto__']!.data[0]).toBe(7);
  });

  it('a misaligned tensor comes back as an aligned copy', () => {
    const f = parseSafetensors(file(`{${t('b', 'U8', [1], 0, 1)},${t('a', 'F32', [1], 1, 5)}}`, 5));
    expect(f.tensors.a!.data).toBeInstanceOf(Float32Array);
    expect(f.tensors.a!.data.byteOffset % 4).toBe(0);
  });
});

describe('writer input errors', () => {
  const f32 = { dtype: 'F32' as const, shape: [2], data: new Float32Array(2) };
  it.each([
    ['__metadata__ as a tensor name', { __metadata__: f32 }, 'InvalidTensorView'],
    ['data length ≠ shape', { a: { ...f32, shape: [3] } }, 'InvalidTensorView'],
    ['unknown dtype', { a: { ...f32, dtype: 'F12' } }, 'InvalidTensorView'],
    ['typed array of another dtype', { a: { dtype: 'F64', shape: [1], data: new Float32Array(2) } }, 'InvalidTensorView'],
    ['negative dimension', { a: { ...f32, shape: [-2] } }, 'InvalidTensorView'],
  ])('%s → %s', (_, tensors, want) => {
    expect(() => serializeSafetensors(tensors as never)).toThrow(expect.objectContaining({ code: want }));
  });
  it('metadata not string → string → JsonError', () => {
    expect(() => serializeSafetensors({}, { a: 1 } as never)).toThrow(expect.objectContaining({ code: 'JsonError' }));
  });
});
