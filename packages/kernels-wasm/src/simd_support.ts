/**
 * The smallest module that uses 128-bit SIMD: one function returning `v128.const 0`. If the engine
 * validates it, the SIMD build can be instantiated (WebAssembly SIMD proposal, opcode 0xfd 0x0c).
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b, // code: v128.const 0
]);

/** True when this engine accepts WebAssembly 128-bit SIMD. */
export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * Whether wasm threads could run here, and why not when they cannot: a shared memory needs
 * `SharedArrayBuffer`, which browsers expose only on cross-origin-isolated pages (COOP + COEP headers).
 */
export function threadsSupport(): { available: boolean; reason: string } {
  if (typeof SharedArrayBuffer === 'undefined') {
    return { available: false, reason: 'SharedArrayBuffer is unavailable (browsers require cross-origin isolation: COOP/COEP headers)' };
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return { available: false, reason: 'shared WebAssembly.Memory is not supported by this engine' };
  }
  return { available: true, reason: 'shared memory available' };
}

const V128 = 0x7b;

/**
 * Whether a module declares a 128-bit SIMD value: a function type with a `v128` parameter or result,
 * or a `v128` local (type and code sections, WebAssembly core spec, binary format, with the
 * SIMD proposal's valtype 0x7b). Every SIMD build of these kernels has v128 locals and the scalar
 * build none, so this tells the builds apart without decoding instructions; a module that kept
 * SIMD values only on the operand stack would read as `false`. `null` when the bytes cannot be
 * parsed this far (e.g. a type form of the GC proposal).
 */
export function declaresV128(bytes: BufferSource): boolean | null {
  const u8 = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  let p = 8;
  const byte = (): number => {
    if (p >= u8.length) throw new RangeError('truncated');
    return u8[p++];
  };
  const leb = (): number => {
    let r = 0, shift = 0, b = 0;
    do {
      b = byte();
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return r;
  };
  // `ref null ht` / `ref ht` (0x63 / 0x64) carry a heap type index; every other valtype is one byte.
  const valtype = (): number => {
    const t = byte();
    if (t === 0x63 || t === 0x64) leb();
    return t;
  };
  try {
    while (p < u8.length) {
      const id = byte();
      const end = leb() + p;
      if (id === 1) {
        for (let n = leb(); n > 0; n--) {
          if (byte() !== 0x60) return null;
          for (let half = 0; half < 2; half++) for (let m = leb(); m > 0; m--) if (valtype() === V128) return true;
        }
      } else if (id === 10) {
        for (let n = leb(); n > 0; n--) {
          const bodyEnd = leb() + p;
          for (let g = leb(); g > 0; g--) {
            leb();
            if (valtype() === V128) return true;
          }
          p = bodyEnd;
        }
      }
      p = end;
    }
    return false;
  } catch {
    return null;
  }
}
