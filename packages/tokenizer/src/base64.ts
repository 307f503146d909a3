const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Uint8Array(128);
for (let i = 0; i < 64; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 (RFC 4648, with padding) to bytes: Node's native decoder when present, else JS. */
export function base64ToBytes(text: string): Uint8Array {
  const NodeBuffer = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, 'base64'));
  let n = text.length;
  while (n > 0 && text.charCodeAt(n - 1) === 61) n--; // '='
  const out = new Uint8Array((n * 3) >> 2);
  let at = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = (VALUE[text.charCodeAt(i)]! << 18) | (VALUE[text.charCodeAt(i + 1)]! << 12) | (VALUE[text.charCodeAt(i + 2)]! << 6) | VALUE[text.charCodeAt(i + 3)]!;
    out[at++] = v >> 16;
    out[at++] = (v >> 8) & 255;
    out[at++] = v & 255;
  }
  if (n - i >= 2) {
    const v = (VALUE[text.charCodeAt(i)]! << 18) | (VALUE[text.charCodeAt(i + 1)]! << 12) | (n - i === 3 ? VALUE[text.charCodeAt(i + 2)]! << 6 : 0);
    out[at++] = v >> 16;
    if (n - i === 3) out[at++] = (v >> 8) & 255;
  }
  return out;
}
