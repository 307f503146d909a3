// Property test: random mutations of valid files never throw anything but SafetensorsError and never
// read outside the input (views stay inside it; the lazy reader only asks for in-range bytes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DTYPES, openSafetensors, parseSafetensors, SafetensorsError, serializeSafetensors, type ByteSource, type Dtype } from '../src/index.js';

const dtypes = Object.keys(DTYPES).filter((d) => DTYPES[d as Dtype].bits % 8 === 0) as Dtype[];

const validFile = fc
  .array(
    fc.record({
      name: fc.string({ maxLength: 6 }),
      dtype: fc.constantFrom(...dtypes),
      shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    }),
    { maxLength: 5 },
  )
  .map((specs) => {
    const tensors = new Map();
    for (const s of specs) {
      if (s.name === '__metadata__') continue;
      const n = s.shape.reduce((a, b) => a * b, 1) * (DTYPES[s.dtype].bits / 8);
      tensors.set(s.name, { dtype: s.dtype, shape: s.shape, data: Uint8Array.from({ length: n }, (_, i) => (i * 31) & 255) });
    }
    return serializeSafetensors(tensors, { format: 'pt' });
  });

type Mutation = { kind: 'flip' | 'set' | 'truncate' | 'insert' | 'digit'; at: number; v: number };
const mutation = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('flip', 'set', 'truncate', 'insert', 'digit'),
  at: fc.nat(),
  v: fc.integer({ min: 0, max: 255 }),
});

function mutate(bytes: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = bytes;
  for (const m of muts) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), m.v, ...b.subarray(at)]);
    else if (b.length === 0) continue;
    else if (m.kind === 'flip') {
      b = b.slice();
      b[at]! ^= 1 << (m.v & 7);
    } else if (m.kind === 'set') {
      b = b.slice();
      b[at] = m.v;
    } else {
      // Change a digit of the JSON header, the likeliest way to make offsets/shapes lie.
      const digits = [...b.keys()].filter((i) => i >= 8 && b[i]! >= 0x30 && b[i]! <= 0x39);
      if (digits.length) {
        b = b.slice();
        b[digits[m.v % digits.length]!] = 0x30 + (m.v % 10);
      }
    }
  }
  return b;
}

function expectOnlySafetensorsErrors(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
  }
}

describe('fuzz: mutated valid files', () => {
  it('parseSafetensors throws only SafetensorsError; views stay inside the input', () => {
    fc.assert(
      fc.property(validFile, fc.array(mutation, { minLength: 1, maxLength: 4 }), (file, muts) => {
        const bytes = mutate(file, muts);
        // Place the input inside a larger buffer so reading past its end would be observable.
        const host = new Uint8Array(bytes.length + 64).fill(0xee);
        host.set(bytes, 32);
        const input = host.subarray(32, 32 + bytes.length);
        expectOnlySafetensorsErrors(() => {
          const f = parseSafetensors(input);
          for (const [name, t] of Object.entries(f.tensors)) {
            const [b, e] = f.header[name]!.data_offsets;
            expect(t.data.byteLength).toBe(e - b);
            if (t.data.buffer === host.buffer) {
              expect(t.data.byteOffset).toBeGreaterThanOrEqual(input.byteOffset);
              expect(t.data.byteOffset + t.data.byteLength).toBeLessThanOrEqual(input.byteOffset + input.length);
            }
          }
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('the lazy reader throws only SafetensorsError and reads only in-range bytes', async () => {
    await fc.assert(
      fc.asyncProperty(validFile, fc.array(mutation, { minLength: 1, maxLength: 4 }), async (file, muts) => {
        const bytes = mutate(file, muts);
        const source: ByteSource = {
          size: bytes.length,
          async read(offset, length) {
            expect(offset).toBeGreaterThanOrEqual(0);
            expect(offset + length).toBeLessThanOrEqual(bytes.length);
            return bytes.slice(offset, offset + length);
          },
        };
        try {
          const r = await openSafetensors(source);
          for (const k of r.keys()) await r.get(k);
        } catch (e) {
          if (!(e instanceof SafetensorsError)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('unmutated files round-trip exactly', () => {
    fc.assert(
      fc.property(validFile, (file) => {
        const f = parseSafetensors(file);
        expect(serializeSafetensors(f.tensors, f.metadata)).toEqual(file);
      }),
      { numRuns: 300 },
    );
  });
});
