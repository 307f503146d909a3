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
