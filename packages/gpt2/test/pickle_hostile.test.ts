// Hostile pickles (the shapes of /tmp/breaker's long_global.bin, big_binstring.bin, big_appends.bin),
// built here byte by byte from CPython's opcode table (Lib/pickletools.py).
import { describe, expect, it } from 'vitest';
import { preview, unpickle } from '../src/pickle';
import { PickleError } from '../src/errors';

const PROTO2 = [0x80, 0x02];
const i32le = (n: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setInt32(0, n, true); return [...b]; };
const concat = (...parts: ArrayLike<number>[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const caught = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return undefined; };

describe('unpickle on hostile input', () => {
  it('refuses a 2 MB GLOBAL name with a short, typed message instead of overflowing the stack', () => {
    const name = new Uint8Array(2_000_000).fill(0x61);
    const bytes = concat(PROTO2, [0x63], name, [0x0a, 0x62, 0x0a, 0x2e]);
    const err = caught(() => unpickle(bytes, { globals: new Map(), source: 'long.pkl' }));
    expect(err).toBeInstanceOf(PickleError);
    expect((err as PickleError).code).toBe('E_PICKLE_GLOBAL');
    expect((err as Error).message).toMatch(/^long\.pkl: refusing global aaaa.*\(2000002 chars\).*at byte 2/);
    expect((err as Error).message.length).toBeLessThan(300);
  });

  it('decodes a 2 MB BINSTRING as latin-1', () => {
    const body = new Uint8Array(2_000_000).fill(0xe9);
    const v = unpickle(concat(PROTO2, [0x54], i32le(body.length), body, [0x2e]), { globals: new Map() }) as string;
    expect(v.length).toBe(2_000_000);
    expect(v.slice(0, 3)).toBe('ééé');
    expect(v.charCodeAt(1_999_999)).toBe(0xe9);
  });

  it('appends 1M items with APPENDS', () => {
    const bytes = concat(PROTO2, [0x5d, 0x28], new Uint8Array(1_000_000).fill(0x4e), [0x65, 0x2e]);
    const v = unpickle(bytes, { globals: new Map() }) as unknown[];
    expect(v.length).toBe(1_000_000);
    expect(v[999_999]).toBeNull();
  });

  it('names the file and the byte offset of a malformed opcode', () => {
    const neg = concat(PROTO2, [0x4e, 0x54], i32le(-5), [0x2e]);
    expect(() => unpickle(neg, { globals: new Map(), source: 'neg.pkl' })).toThrow(/^neg\.pkl: BINSTRING with negative length -5 \(opcode at byte 3\)/);
    const bad = concat(PROTO2, [0x4e, 0x30, 0x30, 0x2e]);
    expect(() => unpickle(bad, { globals: new Map(), source: 'pop.pkl' })).toThrow(/^pop\.pkl: stack underflow at byte 5/);
  });

  it('turns a plain error thrown by an allowed global into a PickleError at its opcode', () => {
    const globals = new Map([['m.f', { name: 'm.f', call: () => { throw new TypeError('boom'); } }]]);
    const bytes = concat(PROTO2, [...Buffer.from('cm\nf\n')], [0x29, 0x52, 0x2e]);
    const err = caught(() => unpickle(bytes, { globals, source: 'r.pkl' }));
    expect(err).toBeInstanceOf(PickleError);
    expect((err as Error).message).toBe('r.pkl: malformed pickle: boom (opcode at byte 8)');
  });

  it('quotes a deeply nested or huge value in a few characters', () => {
    let v: unknown[] = [];
    for (let i = 0; i < 1_000_000; i++) v = [v];
    expect(preview(v)).toBe('[[[[...]]]]');
    expect(preview(Array.from({ length: 1_000_000 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, 6, 7, ... 1000000 items]');
  });
});
